from django.db import models
from django.utils.translation import gettext_lazy as _

from spinesite.pages import Article
from spinesite.translations import ArticleTranslation


class Condition(Article):
    """A condition page: what it is, its symptoms, causes and treatment options."""

    class Region(models.TextChoices):
        LOWER_BACK = "lower-back", _("Lower back")
        NECK = "neck", _("Neck")
        UPPER_MID_BACK = "upper-mid-back", _("Upper and middle back")
        WHOLE_SPINE = "whole-spine", _("Whole spine")

        @classmethod
        def filter_choices(cls):
            """The regions a reader can filter by: parts of the spine, not "whole spine"."""
            return [(value, label) for value, label in cls.choices if value != cls.WHOLE_SPINE]

        @classmethod
        def shown_under(cls, region):
            """The filter regions a page of `region` is listed under: a "whole spine"
            page concerns every part of the spine, so it shows under each."""
            if region == cls.WHOLE_SPINE:
                return {value for value, _ in cls.filter_choices()}
            return {region}

    region = models.CharField(max_length=20, choices=Region)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name="related conditions"
    )

    class Meta(Article.Meta):
        indexes = [
            *Article.Meta.indexes,
            # Answers the A to Z index (spinesite.indexes) from the index alone.
            models.Index(
                # The schedule's columns too, and the id as a key (the order's tie-break):
                # no row read from the table, nothing left to sort.
                fields=["status", "title", "id"],
                include=["slug", "summary", "region", "publish_at", "unpublish_at"],
                name="condition_a_to_z_idx",
            ),
        ]


class ConditionTranslation(ArticleTranslation):
    """A condition page in another language (spinesite.translations)."""

    page = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="translations")

    class Meta(ArticleTranslation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="condition_one_per_language")
        ]
