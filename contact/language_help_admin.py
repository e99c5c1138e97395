"""Admin for the language help and nondiscrimination page (contact.language_help)."""

from django.conf import settings
from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin
from solo.admin import SingletonModelAdmin

from .models import LanguageHelpPage, LanguageTagline


class LanguageTaglineInline(admin.TabularInline):
    model = LanguageTagline
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        languages = ", ".join(settings.LANGUAGE_ASSISTANCE_TAGLINES)
        formset.form.base_fields["language"].help_text = (
            f"Shown for the languages in LANGUAGE_ASSISTANCE_TAGLINES: {languages}. "
            "Spanish has a shipped tagline until you write your own."
        )
        return formset


@admin.register(LanguageHelpPage)
class LanguageHelpPageAdmin(SingletonModelAdmin, MarkdownxModelAdmin):
    inlines = [LanguageTaglineInline]
    fields = ["body", "body_es"]
