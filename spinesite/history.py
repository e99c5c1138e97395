"""Page history: every saved version of every kind of page, its diff, and restore.

django-reversion keeps the versions: one generic table for every model it follows,
so `pages.register()` turns history on for a new kind without a history table or a
migration of its own, and many-to-many links are kept with each version. A version
is recorded by each admin save, admin action, restore and `load_content` run (each
opens a revision); a save that changes nothing is not a save at all (see
spinesite.admin), so it records nothing.
"""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Revision, Version

# Shown in no diff and never restored: kept by the page itself.
NOT_RESTORED = {"id", "created", "updated", "content_hash", "reviewed_hash"}
# Shown in the diff, never restored: who approved the page, and when, is the record of
# an act (spinesite.review), not part of the text; an old version's approval would
# otherwise come back without anyone approving the restored text.
SIGN_OFF = {"reviewed_by", "reviewer_name", "reviewer_credentials", "last_reviewed"}
SIGN_OFF |= {"next_review_due"}


def register(model):
    if not reversion.is_registered(model):
        generated = [f.name for f in model._meta.concrete_fields if f.generated]
        reversion.register(model, exclude=generated)


def unregister(model):
    if reversion.is_registered(model):
        reversion.unregister(model)


def keep_baseline(model, pk):
    """Record the stored page as a first version if it has none, before it changes.

    Pages loaded or made before history was kept have no version; without this, their
    first recorded edit would show as the whole page being new, and could not be undone.
    """
    page = model._base_manager.filter(pk=pk).first()
    if page is None or versions(page).exists():
        return
    options = reversion.revisions._get_options(model)
    revision = Revision.objects.create(
        date_created=page.updated, comment="The page as it was before its first recorded change."
    )
    Version.objects.create(
        revision=revision,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(page.pk),
        db=page._state.db,
        format=options.format,
        serialized_data=serializers.serialize(options.format, (page,), fields=options.fields),
        object_repr=str(page),
    )


def versions(page):
    """The page's versions, newest first."""
    return Version.objects.get_for_object(page).select_related("revision__user")


def edit_token(page):
    """What an editor opened: the newest version's id and the page's last save time.

    Sent back with the form; if the page has been saved since, the save is refused
    (spinesite.admin.PageAdminForm) instead of overwriting the other person's edit.
    """
    latest = versions(page).values_list("pk", flat=True).first() or 0
    return f"{latest}:{page.updated.isoformat()}"


def fields_of(model):
    """The fields an editor sets: those compared and restored, in form order."""
    own = [f for f in model._meta.fields if f.editable and f.name not in NOT_RESTORED]
    return [*own, *model._meta.many_to_many]


def values_of(page):
    """A page's current values, in the shape of a version's `field_dict`."""
    values = {}
    for field in fields_of(type(page)):
        if field.many_to_many:
            values[field.attname] = [obj.pk for obj in getattr(page, field.name).all()]
        else:
            values[field.attname] = getattr(page, field.attname)
    return values


def _shown(field, value):
    if field.many_to_many:
        found = field.related_model._base_manager.in_bulk(value or [])
        return "\n".join(str(found.get(pk, f"(deleted, #{pk})")) for pk in sorted(value or []))
    if field.choices and value is not None:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def diff(model, old, new):
    """[(field label, HTML diff)] for each field that differs between two value dicts."""
    changes = []
    for field in fields_of(model):
        before, after = old.get(field.attname), new.get(field.attname)
        if field.many_to_many:
            before, after = sorted(before or []), sorted(after or [])
        if before == after or field.attname not in new:
            continue
        before, after = _shown(field, before), _shown(field, after)
        if before == after:
            continue
        lines = difflib.unified_diff(before.splitlines(), after.splitlines(), n=2, lineterm="")
        rows = [
            (
                {"+": "ins", "-": "del"}.get(line[:1], "ctx"),
                line,
            )
            for line in list(lines)[2:]  # without the ---/+++ header
        ]
        html = format_html(
            '<pre class="page-diff">{}</pre>',
            format_html_join("\n", '<span class="diff-{}">{}</span>', rows),
        )
        changes.append((field.verbose_name, html))
    return changes


def history(page):
    """Each version, newest first, with what it changed from the one before it."""
    found = list(versions(page))
    entries = []
    for newer, older in zip(found, [*found[1:], None], strict=False):
        changes = diff(type(page), older.field_dict, newer.field_dict) if older else []
        entries.append({"version": newer, "changes": changes, "first": older is None})
    return entries


def restore(page, version, user):
    """Put a version's values back on the page, as a new version.

    Links to pages deleted since are left out (and returned, so the editor is told):
    restoring never fails on them and never brings anything else back.
    """
    values = dict(version.field_dict)
    model, missing = type(page), []
    slug = values.get("slug", page.slug)
    if slug != page.slug and model._base_manager.filter(slug=slug).exclude(pk=page.pk).exists():
        missing.append(f"the address \u201c{slug}\u201d (another page has it now)")
        values["slug"] = page.slug
    with transaction.atomic(), reversion.create_revision():
        for field in fields_of(model):
            if field.many_to_many or field.attname not in values or field.name in SIGN_OFF:
                continue
            value = values[field.attname]
            # A page or person it pointed to may have been deleted since.
            if (
                field.many_to_one
                and value is not None
                and not field.related_model._base_manager.filter(pk=value).exists()
            ):
                missing.append(f"{field.verbose_name} #{value}")
                value = None if field.null else getattr(page, field.attname)
            setattr(page, field.attname, value)
        page.content_hash = ""
        page.save()
        for field in type(page)._meta.many_to_many:
            wanted = values.get(field.attname, [])
            found = list(
                field.related_model._base_manager.filter(pk__in=wanted).values_list(
                    "pk", flat=True
                )
            )
            missing += [f"{field.verbose_name} #{pk}" for pk in wanted if pk not in found]
            getattr(page, field.name).set(found)
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of "
            f"{timezone.localtime(version.revision.date_created):%b %d, %Y %H:%M}."
        )
    return missing
