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

from django.db.models import Q

from spinesite import pages
from spinesite.markdown import TERM_ID
from spinesite.markdown import Term as PageTerm

from .models import Term


def published_terms():
    """The terms pages explain, for spinesite.markdown: one query per rendered page."""
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


def render_pages_showing(words, slugs):
    """Save again every page that mentions one of `words` or explains one of `slugs`.

    The pages are every registered kind's, searched in its rendered HTML (PageKind.html).
    A page that only mentions a word may not show it (a link, a heading): saving it
    again is harmless, and simpler than finding out.
    """
    for kind in pages.kinds():
        shown = Q()
        for word in filter(None, words):
            shown |= Q(**{f"{kind.html}__icontains": word})
        for slug in filter(None, slugs):
            shown |= Q(**{f"{kind.html}__contains": f'id="{TERM_ID}{slug}"'})
        if shown:
            for page in kind.model.objects.filter(shown).iterator():
                page.save()


def term_saved(sender, instance, **kwargs):
    """Pages that showed the term as it was, and that may show it now (if published)."""
    slug, name, forms = getattr(instance, "loaded", (None, None, []))
    words = {instance.term, *instance.forms} if instance.is_published else set()
    render_pages_showing({name, *forms} | words, {slug, instance.slug})
    instance.loaded = (instance.slug, instance.term, instance.forms)


def term_deleted(sender, instance, **kwargs):
    render_pages_showing({instance.term, *instance.forms}, {instance.slug})
