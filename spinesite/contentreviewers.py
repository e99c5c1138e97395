"""The clinical reviewer a content file names (`reviewed_by`): checked once every kind
is read, set once every kind is written (spinesite.content, load_content)."""

from .content import REVIEWER


def check_reviewers(kinds, files, pending):
    """Problems with the reviewers files name: each must be a clinician in the database
    or loaded in the same run (`pending`, model to slugs). Checked once every kind is
    read, as a condition may name a clinician whose own file is read after it."""
    problems, known = [], {}
    for kind in kinds:
        model = kind.reviewer_model
        if model is None:
            continue
        if model not in known:
            saved = set(model.objects.values_list("slug", flat=True))
            known[model] = saved | pending.get(model, set())
        problems += [
            f"{item.path}: '{REVIEWER}' names '{item.reviewer}', which is not a known "
            f"{model._meta.verbose_name} (give the slug of their page)"
            for item in files.get(kind.folder, [])
            if item.reviewer and item.reviewer not in known[model]
        ]
    return problems


def write_reviewers(kinds, files, reports):
    """Set (or clear) the reviewer of each page created or updated in this run, once
    every kind is written, so that the clinician it names exists. In the caller's
    transaction; unchanged and skipped pages keep theirs, as they keep everything."""
    for kind in kinds:
        model, report = kind.reviewer_model, reports.get(kind.folder)
        if model is None or report is None:
            continue
        changed = {*report.created, *report.updated}
        items = [item for item in files.get(kind.folder, []) if item.slug in changed]
        wanted = {item.reviewer for item in items if item.reviewer}
        by_slug = dict(model.objects.filter(slug__in=wanted).values_list("slug", "pk"))
        # One UPDATE per reviewer, not one per page (each would also raise the
        # content version), and only of the pages whose reviewer differs.
        pages_of = {}
        for item in items:
            pages_of.setdefault(by_slug.get(item.reviewer), []).append(item.slug)
        for pk, slugs in pages_of.items():
            rows = kind.model.objects.filter(slug__in=slugs)
            if pk is None:
                rows = rows.filter(**{f"{REVIEWER}__isnull": False})
            else:
                rows = rows.exclude(**{f"{REVIEWER}_id": pk})
            rows.update(**{f"{REVIEWER}_id": pk})
