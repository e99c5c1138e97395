from django.contrib import admin

from spinesite.adminpages import ContentAdmin
from spinesite.translation_admin import TranslatedAdmin

from .models import Term
from .pages import render_pages_showing


@admin.register(Term)
class TermAdmin(TranslatedAdmin, ContentAdmin):
    """Plain fields only: a meaning is one or two sentences, with no Markdown."""

    list_display = ["term", "definition", "status", "updated"]
    list_filter = ["status"]
    search_fields = ["term", "also_called", "definition"]
    prepopulated_fields = {"slug": ["term"]}
    fields = ["term", "slug", "also_called", "definition", "status"]
    translation_fields = ["term", "also_called", "definition"]

    def _set_status(self, request, queryset, status):
        super()._set_status(request, queryset, status)
        # update() sends no signal: the pages that mention these terms are rendered
        # again here, as a save would (glossary.pages).
        terms = list(queryset)
        words = {word for term in terms for word in (term.term, *term.forms)}
        render_pages_showing(words, {term.slug for term in terms})
