"""Translations in admin: edited beside the English, on the page's own admin.

`TranslatedAdmin` (mixed into a page's ModelAdmin) adds the translation inline
(`translation_inline(Model)`), a list column saying whether each page's
translations are up to date, and a filter for the ones that are not. A translation
is out of date when the English text it was made from (the model's
`source_fields`) has changed since (spinesite.translations); saving it with "Matches
the current English" ticked records that it has caught up. A new translation is
taken to match the English as it is when it is saved.

Each translation has its own clinical sign-off, per language (spinesite.translation_review).
"""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html, format_html_join

from . import contentcheck, editorial, markdown, review
from .translation_review import (
    approve_buttons,
    approve_translation_action,
    approve_url_name,
    approve_view,
    clinical_review,
)
from .translations import LANGUAGES, ArticleTranslation, out_of_date, translation_of

# Set by a clinical reviewer's approval (spinesite.review), never typed in, and never
# from a content file (spinesite.translated_content refuses them there).
SIGN_OFF_FIELDS = [
    "reviewer_name",
    "reviewer_credentials",
    "reviewed_by",
    "last_reviewed",
    "next_review_due",
]


class TranslationForm(forms.ModelForm):
    matches_english = forms.BooleanField(
        required=False,
        label="Matches the current English",
        help_text="Tick after bringing the translation up to date with the English "
        "page as it is now: that clears the “translation out of date” flag.",
    )

    # The Markdown fields of the kinds' translations: an article's or the new patients
    # page's body, a clinician's bio, a location's about, a video's description and
    # transcript.
    markdown_fields = ("body", "bio", "about", "description", "transcript")

    def clean(self):
        """As the English: too long or nested Markdown, or a figure without its alt
        text or caption, is refused with the reason (spinesite.markdown)."""
        cleaned = super().clean()
        for name in self.markdown_fields:
            text = cleaned.get(name)
            if name not in self.fields or not text:
                continue
            try:
                markdown.check_limits(text)
            except ValueError as error:
                self.add_error(name, str(error))
                continue
            for problem in markdown.problems(text):
                self.add_error(name, problem)
        return cleaned


class TranslationFormSet(forms.BaseInlineFormSet):
    """A change form posted without the translations' part (a script, a form from
    before translations existed) leaves the translations as they are, rather than
    refusing the whole page with "ManagementForm data is missing"."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
        super().__init__(data, *args, prefix=prefix, **kwargs)


def translation_inline(model, text_fields, form=TranslationForm):
    """A stacked inline for `model` (a Translation), with `text_fields` first."""
    fields = [
        "language",
        *text_fields,
        "translator",
        "status",
        "freshness",
        *(["advice"] if has_body(model) else []),
        "matches_english",
        # A kind no clinician reviews (a bio, a location) has no sign-off to show.
        *(["clinical_review", *SIGN_OFF_FIELDS] if model.clinically_reviewed else []),
    ]

    class Inline(admin.StackedInline):
        formset = TranslationFormSet
        extra = 0
        fk_name = "page"
        readonly_fields = ["freshness", "advice", "clinical_review", *SIGN_OFF_FIELDS]
        autocomplete_fields = []

        @admin.display(description="translation status")
        def freshness(self, obj):
            if obj is None or obj.pk is None:
                return "New: taken to match the English as it is when saved."
            if obj.is_out_of_date:
                return format_html(
                    '<strong class="translation-out-of-date">{}</strong>: {}',
                    "Translation out of date",
                    "the English text changed after this translation was made.",
                )
            return "Up to date with the English."

        @admin.display(description="clinical review")
        def clinical_review(self, obj):
            return clinical_review(obj)

        @admin.display(description="editor's advice")
        def advice(self, obj):
            """As the English page's reading level and content check: advice, never a
            refusal (the translation is saved either way)."""
            if obj is None or obj.pk is None or not obj.body_html:
                return "Shown after the translation is saved."
            lines = translation_advice(obj)
            return format_html(
                '<ul class="translation-advice">{}</ul>',
                format_html_join("", "<li>{}</li>", ((line,) for line in lines)),
            )

    Inline.model = model
    Inline.form = form
    Inline.fields = fields
    Inline.verbose_name = "translation"
    Inline.verbose_name_plural = "Translations (each with its own translator and clinical review)"
    return Inline


def has_body(model):
    return any(field.name == "body_html" for field in model._meta.fields)


def translation_advice(row):
    """Advice on a saved translation with a body: its reading level on its language's
    scale and, for a condition or treatment, its "When to get help" boxes
    (contentcheck.check_translation; its reading line is the first line here)."""
    language = row.language
    lines = [editorial.reading_advice(editorial.reading_level(row.body_html, language), language)]
    if isinstance(row, ArticleTranslation):
        reading = contentcheck.reading_problems(row.body_html, language)
        lines += [
            problem
            for problem in contentcheck.check_translation(row.body_html, language)
            if problem not in reading
        ]
    return lines


class OutOfDateFilter(admin.SimpleListFilter):
    title = "translation"
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("out_of_date", "Translation out of date"),
            ("translated", "Translated"),
            ("none", "Not translated"),
        ]

    def queryset(self, request, queryset):
        model = translation_of(queryset.model)
        if self.value() == "out_of_date":
            return queryset.filter(translation_out_of_date=True)
        if self.value() == "translated":
            return queryset.filter(Exists(model.objects.filter(page=OuterRef("pk"))))
        if self.value() == "none":
            return queryset.exclude(Exists(model.objects.filter(page=OuterRef("pk"))))
        return queryset


def stale_translations(model):
    """Translations of `model` rows whose English changed since (a subquery's rows)."""
    return (
        translation_of(model)
        .objects.annotate(stale=out_of_date(translation_of(model)))
        .filter(stale=True)
    )


class TranslatedAdmin:
    """Mixin for a page's ModelAdmin: the translation inline, column and filter."""

    translation_fields = ["title", "also_called", "summary", "body"]

    def get_inlines(self, request, obj):
        model = translation_of(self.model)
        return [
            *super().get_inlines(request, obj),
            # A kind's own form (a video's checks its captions upload as the English).
            translation_inline(
                model,
                self.translation_fields,
                form=getattr(self, "translation_form", TranslationForm),
            ),
        ]

    def get_queryset(self, request):
        # Asked only for the rows a list page shows: a condition that is no plain
        # equality with the outer row (always true: the same row) keeps PostgreSQL
        # from hashing the digest of every translation's English instead (seconds at
        # tens of thousands of pages); and the English is read by the subquery, not
        # carried (kilobytes a row) through the list's sort.
        stale = stale_translations(self.model).filter(
            page=OuterRef("pk"), page__updated__lte=OuterRef("updated")
        )
        rows = translation_of(self.model).objects.filter(page=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                translation_out_of_date=Exists(stale),
                has_translation=Exists(rows),
                translation_changed=Exists(rows.filter(changed_since_review=True)),
            )
        )

    def get_actions(self, request):
        """Besides the English page's, one sign-off per language, for clinical
        reviewers only (a non-reviewer's post of it finds no such action)."""
        actions = super().get_actions(request)
        # Not for a kind no clinician reviews (a bio, a location): nothing to approve.
        if review.is_reviewer(request.user) and translation_of(self.model).clinically_reviewed:
            for code, name in LANGUAGES:
                action = approve_translation_action(code, name)
                actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    def get_urls(self):
        """The change form's "Approve the Spanish translation" (translation_review):
        POST only, through admin_view (staff, CSRF)."""
        from django.urls import path
        from django.views.decorators.http import require_POST

        def view(request, object_id, language):
            return approve_view(self, request, object_id, language)

        approve = self.admin_site.admin_view(require_POST(view))
        return [
            path(
                "<path:object_id>/approve-translation/<str:language>/",
                approve,
                name=approve_url_name(self.model),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        buttons = approve_buttons(self, request, object_id)
        extra_context = {**(extra_context or {}), "approve_translation_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), OutOfDateFilter]

    @admin.display(description="Spanish", ordering="translation_out_of_date")
    def translation(self, obj):
        flags = []
        if getattr(obj, "translation_out_of_date", False):
            flags.append(("translation-out-of-date", "Out of date"))
        if getattr(obj, "translation_changed", False):
            flags.append(("translation-changed", "Changed since clinical review"))
        if flags:
            return format_html_join("; ", '<strong class="{}">{}</strong>', flags)
        return "Up to date" if getattr(obj, "has_translation", False) else "—"

    def save_formset(self, request, form, formset, change):
        translated = translation_of(self.model)
        if formset.model is not translated:
            return super().save_formset(request, form, formset, change)
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row_form in formset.forms:
            row = row_form.instance
            if row not in rows:
                continue
            if row.pk is None or row_form.cleaned_data.get("matches_english"):
                row.page = form.instance
                row.mark_current()
            row.content_hash = ""  # an admin edit: load_content leaves it alone
            row.save()
        formset.save_m2m()
