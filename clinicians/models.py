from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from markdownx.models import MarkdownxField

from conditions.models import Condition
from locations.models import Location
from spinesite.markdown import plain_text, render_markdown
from spinesite.pages import ReviewedPage
from spinesite.pageterms import explain_terms, page_terms
from spinesite.searchvectors import document_vector, title_vector
from spinesite.translations import Translation
from treatments.models import Treatment

# Credentials that make someone a physician for schema.org (Physician, not Person).
PHYSICIAN_DEGREES = {"MD", "DO", "MBBS", "MBCHB"}


class Tag(models.Model):
    """A name patients filter the team by (a specialty, a language)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Specialty(Tag):
    class Meta(Tag.Meta):
        verbose_name_plural = "specialties"


class Language(Tag):
    pass


class Clinician(ReviewedPage):
    """A member of the clinical team: who they are, what they treat, where they work.

    `title` is the name as patients see it (e.g. "Dr. Sample Clinician A"); `summary`
    is the role. A profile is not clinically reviewed: only the review dates (to check
    the details are still right) are kept from ReviewedPage.
    """

    reviewer_name = reviewer_credentials = reviewed_by = None

    # A clinician who approves pages as a clinical reviewer (spinesite.review) is
    # named as the pages' reviewer through this link to their staff login.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clinician",
        verbose_name="staff login",
        help_text="Their own admin login, if they approve pages as a clinical reviewer: "
        "pages they approve then name them with their credentials.",
    )
    credentials = models.CharField(
        max_length=100, blank=True, help_text="Degrees and titles after the name, e.g. MD, DPT."
    )
    summary = models.CharField(
        "role", max_length=160, help_text="e.g. Spine surgeon; Physical therapist."
    )
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="clinicians")
    languages = models.ManyToManyField(
        Language, blank=True, related_name="clinicians", verbose_name="languages spoken"
    )
    photo = models.ImageField(
        upload_to="clinicians/",  # named by checked_image(), not by the client
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="A head-and-shoulders photo (JPEG, PNG or WebP), with their consent.",
    )
    photo_width = models.PositiveIntegerField(editable=False, null=True)
    photo_height = models.PositiveIntegerField(editable=False, null=True)
    photo_alt = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for people who cannot see it. Required with a photo.",
    )
    bio = MarkdownxField(help_text="Markdown. A short, plain biography: a few sentences.")
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="clinicians", verbose_name="conditions they treat"
    )
    treatments = models.ManyToManyField(
        Treatment, blank=True, related_name="clinicians", verbose_name="treatments they give"
    )
    locations = models.ManyToManyField(
        Location, blank=True, related_name="clinicians", verbose_name="where they see patients"
    )
    accepting_new_patients = models.BooleanField(default=True)
    is_sample = models.BooleanField(
        "sample clinician",
        default=False,
        help_text="A made-up person who shows how a profile looks. The page says so.",
    )

    # Rendered once on save so that a page view never runs Markdown.
    bio_html = models.TextField(editable=False, default="")
    bio_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=document_vector(["title"], "summary", "bio_text"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=title_vector(["title"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    def clean(self):
        super().clean()  # the schedule's check (spinesite.pages.ReviewedPage)
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": "Say what the photo shows, for people who cannot see it."}
            )

    def save(self, *args, **kwargs):
        # Like every page, the bio explains glossary terms; its plain text (search,
        # reading grade) stays the editor's words alone.
        bio_html = render_markdown(self.bio)
        self.bio_html = explain_terms(bio_html, page_terms())
        self.bio_text = plain_text(bio_html)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "bio_html", "bio_text"}
        super().save(*args, **kwargs)

    @property
    def is_physician(self):
        degrees = {part.strip().upper().replace(".", "") for part in self.credentials.split(",")}
        return bool(degrees & PHYSICIAN_DEGREES)

    @property
    def name_with_credentials(self):
        return ", ".join(part for part in (self.title, self.credentials) if part)


class BoardCertification(models.Model):
    """A board certification and the board that issued it."""

    clinician = models.ForeignKey(
        Clinician, on_delete=models.CASCADE, related_name="certifications"
    )
    name = models.CharField(max_length=150, help_text="e.g. Orthopaedic Surgery")
    board = models.CharField(
        "issuing board", max_length=150, help_text="e.g. American Board of Orthopaedic Surgery"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.board})"


class ClinicianTranslation(Translation):
    """A clinician's role, bio and photo description in another language
    (spinesite.translations); the name and credentials are not translated."""

    source_fields = ("summary", "bio", "photo_alt")
    shown_fields = ("summary", "bio_html")
    # Blank: the English description stays, so the photo never loses its alt text.
    optional_fields = ("photo_alt",)
    title_field = "summary"
    clinically_reviewed = False
    # Untranslated, still listed and linked from Spanish pages, in English
    # (spinesite.translated_lists.links_in): a patient needs to reach them.
    shown_untranslated = True
    # What Spanish search reads of it besides the role (spinesite.translated_search).
    searched_fields = ("bio",)
    explained_html = ("bio_html",)

    page = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="translations")
    summary = models.CharField("role", max_length=200)
    bio = models.TextField(help_text="Markdown. A short, plain biography.")
    photo_alt = models.CharField("photo description", max_length=250, blank=True)
    bio_html = models.TextField(editable=False, default="")

    class Meta(Translation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="clinician_one_per_language")
        ]

    def save(self, *args, **kwargs):
        self.bio_html = self.explain(render_markdown(self.bio))  # as the English bio
        super().save(*args, **kwargs)
