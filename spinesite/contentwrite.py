"""Writing validated content files (spinesite.contentpass.read_kind) to the database:
each kind's pages created or updated as one recorded version (spinesite.history), new
ones inserted in bulk with what was rendered where their files were read.
"""

from dataclasses import dataclass, field
from functools import partial

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils.text import slugify

from . import history, pageterms
from .contentpass import rendered_fields
from .history import keep_baseline
from .parallel import map_in_processes
from .redirects import Redirect
from .vocabulary import add_words_of, words_added_at_the_end


@dataclass
class Report:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def write_kind(files, kind, force=False):
    """Create or update pages from validated files, as one recorded version
    (spinesite.history). Returns a Report.

    A file whose front matter gives a new slug renames the page it was loaded as,
    the one named like the file, which keeps its old address (spinesite.redirects).
    """
    report = Report()
    report.unchanged = [item.slug for item in files if item.unchanged]
    files = [item for item in files if not item.unchanged]
    slugs = {item.slug for item in files}
    existing = kind.model.objects.in_bulk(slugs, field_name="slug")
    by_file_name = kind.model.objects.in_bulk(
        {item.path.stem for item in files} - slugs, field_name="slug"
    )
    changed = []
    with transaction.atomic(), reversion.create_revision(), words_added_at_the_end():
        reversion.set_comment(f"Loaded from content files (content/{kind.folder}/).")
        for item in files:
            page = existing.get(item.slug) or by_file_name.get(item.path.stem)
            if page is not None and page.content_hash == item.digest and _has_files(page, kind):
                report.unchanged.append(item.slug)
                continue
            if page is not None and not page.content_hash and not force:
                report.skipped.append(item.slug)
                continue
            if page is None:
                page = kind.model(slug=item.slug)
                report.created.append(item.slug)
            else:
                report.updated.append(item.slug)
                keep_baseline(kind.model, page.pk)
            page.slug = item.slug
            for name, value in item.data.items():
                setattr(page, name, value)
            page.content_hash = item.digest
            if page.pk is not None or not _renders_on_save_only(kind.model):
                page.save()  # (a new Article is rendered and saved below, in bulk)
                item.rendered = None  # save() rendered it again
            changed.append((page, item))
        new = [(page, item) for page, item in changed if page.pk is None]
        if new:
            # Rendered where its file was read (spinesite.contentpass), unless the
            # glossary's terms changed since: then here, in worker processes.
            again = [page for page, item in new if item.rendered is None]
            terms = pageterms.page_terms() if again else ()
            rendered = iter(map_in_processes(partial(rendered_fields, terms=terms), again))
            for page, item in new:
                fields = item.rendered if item.rendered is not None else next(rendered)
                for name, value in fields.items():
                    setattr(page, name, value)
                item.rendered = None  # the page holds it now: not twice in memory
            new = [page for page, _ in new]
            # One INSERT per 500 pages instead of one each; bulk_create sends no
            # post_save, so their words join the vocabulary here.
            kind.model.objects.bulk_create(new, batch_size=500)
            _created_in_bulk(kind.model, new)
        if changed:
            # Only the pages these files name, not every page of the kind.
            by_slug = {
                key: dict(
                    kind.target(key)
                    .objects.order_by()
                    .filter(
                        slug__in={slug for _, item in changed for slug in item.links.get(key, ())}
                    )
                    .values_list("slug", "pk")
                )
                for key in kind.links
            }
            created = set(report.created)
            new_links = {key: [] for key in kind.links}
            for page, item in changed:
                for key, slugs in item.links.items():
                    pks = [by_slug[key][slug] for slug in slugs]
                    if page.slug in created:  # nothing to compare with: insert below
                        new_links[key] += [(page.pk, pk) for pk in pks]
                    else:
                        getattr(page, key).set(pks)
                for key, names in item.tags.items():
                    getattr(page, key).set([_tag(kind.target(key), name) for name in names])
                for part in kind.parts:
                    part.write(page, item.parts[part.key])
                if kind.parts:
                    history.record(page)  # with the rows just written (bulk: no signal)
            for key, pairs in new_links.items():
                _insert_links(kind.model._meta.get_field(key), pairs)
            new = [page for page, _ in changed if page.slug in created]
            for start in range(0, len(new), 1000):  # a thousand pages' links at a time
                some = new[start : start + 1000]
                _prefetch_links(some, kind)
                for page in some:  # again, now with the links just inserted (no signal)
                    history.record(page)
                    page._prefetched_objects_cache = {}  # fetched for the record only
    return report


def _created_in_bulk(model, pages):
    """What saving each new page would have done beyond rendering it, as bulk_create
    sends no signals: its words join the vocabulary, and a page that takes an old
    address back ends that redirect (its history: write_kind, once its links exist)."""
    add_words_of(model, pages)
    Redirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        old_slug__in=[page.slug for page in pages],
    ).delete()


def _renders_on_save_only(model):
    """Whether saving a new page of `model` does nothing beyond rendering its Markdown
    (an Article's own save()), so that it can be created with bulk_create."""
    from .pages import Article

    return issubclass(model, Article) and model.save is Article.save


def _prefetch_links(pages, kind):
    """Fetch the links of `pages` in one query per field, for their history: recording
    a page serialises its links, which would otherwise cost a query per page and field."""
    prefetch_related_objects(
        pages,
        *(
            Prefetch(key, queryset=kind.target(key)._default_manager.only("pk"))
            for key in kind.links
        ),
    )


def _insert_links(field, pairs):
    """Rows of a many-to-many field's table, inserted in one go: a new page's links."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)]
    through.objects.bulk_create(rows, batch_size=1000)


def _tag(model, name):
    """The row called `name` (or with its slug), created if there is none."""
    found = model.objects.filter(Q(slug=slugify(name)) | Q(name__iexact=name)).first()
    return found or model.objects.create(name=name, slug=slugify(name))


def _has_files(page, kind):
    """False if a file the page was loaded with is gone from storage (say, an emptied
    media folder), so that loading again puts it back."""
    for name in kind.files:
        stored = getattr(page, name)
        if stored and not stored.storage.exists(stored.name):
            return False
    return True
