"""The glossary in pages: which terms pages explain, and keeping pages up to date.

Pages store their HTML, rendered on save (spinesite.markdown.render_page), with the
first use of each published term explained in place. So a page view costs no
glossary query, but a changed term must reach the pages that show it: when a term
is saved or deleted, every page that mentions one of its words (old or new) or
shows its explanation is saved again, which renders it afresh and raises the
content version that empties the page cache. Terms change rarely and pages are
few, so this is done at once rather than on a queue. A change that skips save(),
such as QuerySet.update() in a shell, does not do it; `load_content --force` or
saving the term in admin does.
"""

import unicodedata

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from spinesite import pagekinds, translations
from spinesite.markdown import TERM_ID
from spinesite.pageterms import Term as PageTerm

from .models import Term, TermTranslation


def published_terms(language=None):
    """The terms pages explain, for spinesite.pageterms: one query per rendered page.

    In another language (a translated page), the published translations of the
    published terms: their own names and meanings, linking the entry on that
    language's glossary (/es/glossary/#slug, whose anchors are the English slugs).
    """
    if language is not None:
        return translated_terms(language)
    return [
        PageTerm(
            name=term.term,
            slug=term.slug,
            definition=term.definition,
            url=term.get_absolute_url(),
            forms=tuple(term.forms),
        )
        for term in Term.objects.published().only("term", "slug", "definition", "also_called")
    ]


def translated_terms(language):
    rows = (
        TermTranslation.objects.published(language)
        .filter(page__in=Term.objects.published())
        .select_related("page")
        .only("term", "also_called", "definition", "page__slug")
    )
    with translation.override(language):
        index = reverse("glossary:index")
    return [
        PageTerm(
            name=row.term,
            slug=row.page.slug,
            definition=row.definition,
            url=f"{index}#{row.page.slug}",
            forms=tuple(row.forms),
        )
        for row in rows
    ]


def render_pages_showing(words, slugs):
    """Save again every page that mentions one of `words` or explains one of `slugs`.

    The pages are every registered kind's, searched in its rendered HTML (PageKind.html).
    A page that only mentions a word may not show it (a link, a heading): saving it
    again is harmless, and simpler than finding out.
    """
    for kind in pagekinds.kinds():
        shown = _showing(kind.html, words, slugs)
        if shown:
            for page in kind.model.objects.filter(shown).iterator():
                page.save()


def render_translations_showing(words, slugs, language=None):
    """As render_pages_showing(), for translations rendered on save that explain terms
    (their `explained_html`: a condition's body, a video's transcript, a bio): each
    explains the terms in its own language, so `words` are that language's (all
    languages when `language` is None, as a term's slug is the same in all)."""
    for model in translations.models_registered():
        shown = Q()
        for field in model.explained_html:
            shown |= _showing(field, words, slugs)
        if not shown:
            continue
        rows = model.objects.filter(shown)
        if language is not None:
            rows = rows.filter(language=language)
        for row in rows.select_related("page").iterator():
            row.save()


def _showing(field, words, slugs):
    shown = Q()
    # Stored text may be composed or not ("ciático" with "í" or "i" and an accent):
    # look for both forms of each word.
    forms = {
        unicodedata.normalize(form, word)
        for word in filter(None, words)
        for form in ("NFC", "NFD")
    }
    for word in forms:
        shown |= Q(**{f"{field}__icontains": word})
    for slug in filter(None, slugs):
        shown |= Q(**{f"{field}__contains": f'id="{TERM_ID}{slug}"'})
    return shown


def term_saved(sender, instance, **kwargs):
    """Pages that showed the term as it was, and that may show it now (if published);
    translated pages too, with the term's translated names (its status or slug
    decides whether they explain it as well)."""
    slug, name, forms = getattr(instance, "loaded", (None, None, []))
    words = {instance.term, *instance.forms} if instance.is_published else set()
    render_pages_showing({name, *forms} | words, {slug, instance.slug})
    render_translations_showing(translated_words(instance), {slug, instance.slug})
    instance.loaded = (instance.slug, instance.term, instance.forms)


def term_deleted(sender, instance, **kwargs):
    render_pages_showing({instance.term, *instance.forms}, {instance.slug})
    render_translations_showing(set(), {instance.slug})


def translated_words(term):
    rows = TermTranslation.objects.filter(page=term).only("term", "also_called")
    return {word for row in rows for word in (row.term, *row.forms)}


def translation_saved(sender, instance, **kwargs):
    """Translated pages in the term's language that showed its translation as it was,
    and that may show it now."""
    _, name, forms = getattr(instance, "loaded", (None, None, []))
    words = {name, *forms, instance.term, *instance.forms}
    render_translations_showing(words, {instance.page.slug}, instance.language)
    instance.loaded = (instance.page_id, instance.term, instance.forms)


def translation_deleted(sender, instance, **kwargs):
    slug = Term.objects.filter(pk=instance.page_id).values_list("slug", flat=True).first()
    render_translations_showing({instance.term, *instance.forms}, {slug}, instance.language)
