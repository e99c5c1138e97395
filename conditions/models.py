from django.db import models

from spinesite.pages import Article


class Condition(Article):
    """A condition page: what it is, its symptoms, causes and treatment options."""

    class Region(models.TextChoices):
        LOWER_BACK = "lower-back", "Lower back"
        NECK = "neck", "Neck"
        UPPER_MID_BACK = "upper-mid-back", "Upper and middle back"
        WHOLE_SPINE = "whole-spine", "Whole spine"

    region = models.CharField(max_length=20, choices=Region)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name="related conditions"
    )

    class Meta(Article.Meta):
        indexes = [
            *Article.Meta.indexes,
            # Answers the A to Z index (spinesite.indexes) from the index alone.
            models.Index(
                fields=["status", "title"],
                include=["id", "slug", "summary", "region"],
                name="condition_a_to_z_idx",
            ),
        ]
