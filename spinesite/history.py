"""Page history: every saved version of every kind of page, its diff, and restore.

django-reversion keeps the versions: one generic table for every model it follows,
so `pagekinds.register()` turns history on for a new kind without a history table or a
migration of its own, and many-to-many links are kept with each version. A version
is recorded by each admin save, admin action, restore and `load_content` run (each
opens a revision); a save that changes nothing is not a save at all (see
spinesite.adminpages), so it records nothing.
"""

import difflib

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.errors import RevertError
from reversion.models import Revision, Version

# Shown in no diff and never restored: kept by the page itself.
NOT_RESTORED = {"id", "created", "updated", "content_hash", "reviewed_hash"}
# Shown in the diff, never restored: who approved the page, and when, is the record of
# an act (spinesite.review), not part of the text; an old version's approval would
# otherwise come back without anyone approving the restored text.
SIGN_OFF = {"reviewed_by", "reviewer_name", "reviewer_credentials", "last_reviewed"}
SIGN_OFF |= {"next_review_due"}


# model -> [(accessor, part model, name of its foreign key to the page)]: rows that
# belong to a page (a location's opening hours), kept with each of its versions.
_parts = {}


def register(model, parts=()):
    """Keep versions of `model`, and of the rows of `parts` (models with a foreign key
    to it, spinesite.pagekinds.PageKind.parts) with each of them."""
    found = []
    for part in parts:
        key = next(f for f in part._meta.fields if f.many_to_one and f.related_model is model)
        found.append((key.remote_field.get_accessor_name(), part, key.name))
        if not reversion.is_registered(part):
            reversion.register(part)
    _parts[model] = found
    if not reversion.is_registered(model):
        # Not kept: what the database computes (search vectors), and what the page
        # renders from its Markdown on save (RENDERED_FIELDS), which a restore saves
        # again. They were most of each version's size and of the time a first load of
        # thousands of files spent serialising versions.
        derived = [f.name for f in model._meta.concrete_fields if f.generated]
        derived += getattr(model, "RENDERED_FIELDS", ())
        reversion.register(model, exclude=derived, follow=[name for name, _, _ in found])


def unregister(model):
    for _, part, _ in _parts.pop(model, []):
        if reversion.is_registered(part):
            reversion.unregister(part)
    if reversion.is_registered(model):
        reversion.unregister(model)


def parts_of(model):
    return _parts.get(model, [])


def record(page):
    """Add the page, with its rows as they are now, to the revision being made, after
    its rows were written without a signal (bulk writes, as the loader does). Rows
    deleted meanwhile are left out by django-reversion itself, which saves only rows
    that still exist."""
    if reversion.is_active():
        reversion.add_to_revision(page)


def _part_line(row, key):
    """One row that belongs to a page, as a line of text for a diff."""
    return "; ".join(
        f"{field.verbose_name}: {_shown(field, getattr(row, field.attname))}"
        for field in row._meta.fields
        if field.editable and not field.primary_key and field.name != key
    )


def part_values(model, rows_by_part):
    """{"part:<accessor>": [line, ...]} for diffs, from {accessor: rows}."""
    return {
        f"part:{name}": sorted(_part_line(row, key) for row in rows_by_part.get(name, []))
        for name, _, key in parts_of(model)
    }


def version_values(version, model):
    """A version's values, its parts' rows (kept in the same revision) included."""
    values = dict(version.field_dict)
    rows = {}
    for name, part, key in parts_of(model):
        kind = ContentType.objects.get_for_model(part)
        rows[name] = [
            kept._object_version.object
            for kept in version.revision.version_set.filter(content_type=kind)
            if str(kept.field_dict.get(f"{key}_id")) == version.object_id
        ]
    if parts_of(model):
        values.update(part_values(model, rows))
        values["_rows"] = rows
    return values


def keep_baseline(model, pk):
    """Record the stored page as a first version if it has none, before it changes.

    Pages loaded or made before history was kept have no version; without this, their
    first recorded edit would show as the whole page being new, and could not be undone.
    """
    page = model._base_manager.filter(pk=pk).first()
    if page is None or versions(page).exists():
        return
    revision = Revision.objects.create(
        date_created=page.updated, comment="The page as it was before its first recorded change."
    )
    kept = [page]
    for name, _, _ in parts_of(model):
        kept.extend(getattr(page, name).all())
    for row in kept:
        options = reversion.revisions._get_options(type(row))
        Version.objects.create(
            revision=revision,
            content_type=ContentType.objects.get_for_model(type(row)),
            object_id=str(row.pk),
            db=row._state.db,
            format=options.format,
            serialized_data=serializers.serialize(options.format, (row,), fields=options.fields),
            object_repr=str(row),
        )


def versions(page):
    """The page's versions, newest first."""
    return Version.objects.get_for_object(page).select_related("revision__user")


def edit_token(page):
    """What an editor opened: the newest version's id and the page's last save time.

    Sent back with the form; if the page has been saved since, the save is refused
    (spinesite.adminforms.PageAdminForm) instead of overwriting the other person's edit.
    """
    latest = versions(page).values_list("pk", flat=True).first() or 0
    return f"{latest}:{page.updated.isoformat()}"


def fields_of(model):
    """The fields an editor sets: those compared and restored, in form order."""
    own = [f for f in model._meta.fields if f.editable and f.name not in NOT_RESTORED]
    return [*own, *model._meta.many_to_many]


def values_of(page):
    """A page's current values, in the shape of `version_values`."""
    values = {}
    for field in fields_of(type(page)):
        if field.many_to_many:
            values[field.attname] = [obj.pk for obj in getattr(page, field.name).all()]
        else:
            values[field.attname] = getattr(page, field.attname)
    rows = {name: list(getattr(page, name).all()) for name, _, _ in parts_of(type(page))}
    values.update(part_values(type(page), rows))
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
        changes.append((field.verbose_name, _diff_html(before, after)))
    for name, part, _ in parts_of(model):
        key = f"part:{name}"
        if key in old and key in new and old[key] != new[key]:
            changes.append(
                (
                    part._meta.verbose_name_plural,
                    _diff_html("\n".join(old[key]), "\n".join(new[key])),
                )
            )
    return changes


def _diff_html(before, after):
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), n=2, lineterm="")
    rows = [
        ({"+": "ins", "-": "del"}.get(line[:1], "ctx"), line)
        for line in list(lines)[2:]  # without the ---/+++ header
    ]
    return format_html(
        '<pre class="page-diff">{}</pre>',
        format_html_join("\n", '<span class="diff-{}">{}</span>', rows),
    )


def readable_values(version, model):
    """A version's values, or None if it was saved with fields the page no longer has
    (or lacks ones it now requires): reversion cannot read it back."""
    try:
        return version_values(version, model)
    except RevertError:
        return None


def history(page):
    """Each version, newest first, with what it changed from the one before it.

    A version that can no longer be read is listed as such, never restorable, and
    the one after it is compared with nothing: the page's other versions still show.
    """
    model = type(page)
    found = list(versions(page))
    values = [readable_values(version, model) for version in found]
    entries = []
    for index, newer in enumerate(found):
        older = values[index + 1] if index + 1 < len(found) else None
        first = index + 1 == len(found)
        unreadable = values[index] is None
        changes = diff(model, older, values[index]) if older and not unreadable else []
        entries.append(
            {
                "version": newer,
                "changes": changes,
                "first": first,
                "unreadable": unreadable,
                "compared": older is not None and not unreadable,
            }
        )
    return entries


def restore(page, version, user):
    """Put a version's values back on the page, as a new version.

    Links to pages deleted since are left out (and returned, so the editor is told):
    restoring never fails on them and never brings anything else back.
    """
    model, missing = type(page), []
    values = version_values(version, model)
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
                (field.many_to_one or field.one_to_one)
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
        # Rows that belong to the page (opening hours...) come back as they were.
        for name, _, key in parts_of(model):
            if name not in values.get("_rows", {}):
                continue
            getattr(page, name).all().delete()
            for row in values["_rows"][name]:
                row.pk = None
                setattr(row, key, page)
                row.save()
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of "
            f"{timezone.localtime(version.revision.date_created):%b %d, %Y %H:%M}."
        )
    return missing
