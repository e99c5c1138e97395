from itertools import groupby

from django.shortcuts import render

from spinesite import fragments, translated_lists, translated_pages

from .models import Term


def glossary_index(request):
    """Every published term A to Z, each with an anchor pages and search link to."""
    # Read once per content version (spinesite.fragments), as the list is rendered.
    letters = fragments.cached(request, "glossary", (), _letters)
    return render(request, "glossary/index.html", {"letters": letters})


def _letters():
    """The published terms in the page's language, grouped by first letter."""
    terms = translated_lists.listed(
        Term.objects.published().only("term", "slug", "definition", "also_called"),
        translated_pages.current_language(),
        fields=("term", "definition", "also_called"),
    )
    letters = [
        (letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.term[:1].upper())
    ]
    return letters
