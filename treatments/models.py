from django.db import models
from django.utils.translation import gettext_lazy as _

from conditions.models import Condition
from spinesite.pages import Article
from spinesite.translations import ArticleTranslation


class Treatment(Article):
    """A treatment page: what it is, who it may help, what happens, how well it works, risks."""

    class Kind(models.TextChoices):
        EXERCISE_THERAPY = "exercise-therapy", _("Exercise and therapy")
        MEDICINES = "medicines", _("Medicines")
        INJECTIONS = "injections", _("Injections and nerve procedures")
        IMPLANTS = "implants", _("Implanted devices")
        SURGERY = "surgery", _("Surgery")

    # The schema.org type each kind of treatment is (see structured_data): therapies
    # for what is not a procedure; for procedures, the most specific type that fits
    # (a diagnostic nerve block is a procedure, but not a therapeutic one).
    SCHEMA_TYPES = {
        Kind.EXERCISE_THERAPY: "MedicalTherapy",
        Kind.MEDICINES: "MedicalTherapy",
        Kind.INJECTIONS: "MedicalProcedure",
        Kind.IMPLANTS: "TherapeuticProcedure",
        Kind.SURGERY: "SurgicalProcedure",
    }

    kind = models.CharField(max_length=20, choices=Kind)
    conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="treatments",
        verbose_name="conditions it is used for",
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name="related treatments"
    )

    class Meta(Article.Meta):
        indexes = [
            *Article.Meta.indexes,
            # Answers the index by kind (spinesite.indexes) from the index alone.
            models.Index(
                # The schedule's columns too, and the id as a key (the order's tie-break):
                # no row read from the table, nothing left to sort.
                fields=["status", "kind", "title", "id"],
                include=["slug", "summary", "publish_at", "unpublish_at"],
                name="treatment_by_kind_idx",
            ),
        ]

    @property
    def schema_type(self):
        return self.SCHEMA_TYPES.get(self.kind, "MedicalTherapy")


class TreatmentTranslation(ArticleTranslation):
    """A treatment page in another language (spinesite.translations)."""

    page = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="translations")

    class Meta(ArticleTranslation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="treatment_one_per_language")
        ]
