from pathlib import Path
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from markdownx.models import MarkdownxField
from solo.models import SingletonModel

from spinesite.markdown import plain_text, render_markdown
from spinesite.pages import ReviewedPage
from spinesite.pageterms import explain_terms, page_terms
from spinesite.searchvectors import document_vector, title_vector
from spinesite.translations import BodyTranslation, Translation

from . import hours

# A plain link, followed only when a patient taps it: nothing loads from a map
# provider when the page does.
MAPS_SEARCH_URL = "https://www.google.com/maps/search/?"


class Location(ReviewedPage):
    """A place where the clinic sees patients: how to reach it, when it is open, how to get there."""

    # A place is not clinically reviewed: only the review dates (to check the
    # details are still right) are kept from ReviewedPage.
    reviewer_name = reviewer_credentials = reviewed_by = None

    summary = models.CharField(
        max_length=160,
        blank=True,
        help_text="One plain sentence, e.g. “Our main clinic, next to Anytown Hospital.”",
    )
    address = models.TextField(help_text="As it goes on an envelope, one line per line.")
    phone = models.CharField(max_length=40, help_text="As patients should dial it.")
    fax = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    about = MarkdownxField(blank=True, help_text="Markdown. A short welcome or what is here.")
    parking = models.TextField(blank=True)
    transit = models.TextField("public transit", blank=True)
    step_free = models.BooleanField(
        "step-free access", default=False, help_text="No steps from the street to the clinic."
    )
    access = models.TextField(
        "access details", blank=True, help_text="Lifts, ramps, doors, accessible toilets."
    )
    map_image = models.ImageField(
        "map picture",
        upload_to="locations/",  # named by checked_image(), not by the client
        blank=True,
        width_field="map_width",
        height_field="map_height",
        help_text="A picture of a map you made or may use (JPEG, PNG or WebP). "
        "No map is embedded: the page loads nothing from a map provider.",
    )
    map_width = models.PositiveIntegerField(editable=False, null=True)
    map_height = models.PositiveIntegerField(editable=False, null=True)
    map_alt = models.CharField(
        "map description",
        max_length=250,
        blank=True,
        help_text="What the map shows, for people who cannot see it. Required with a map.",
    )
    is_sample = models.BooleanField(
        "sample location",
        default=False,
        help_text="A made-up place that shows how a location page looks. The page says so.",
    )

    # Rendered once on save so that a page view never runs Markdown.
    about_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=document_vector(["title"], "summary", "body_text"),
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
        if self.map_image and not self.map_alt.strip():
            raise ValidationError(
                {"map_alt": "Say what the map shows, for people who cannot see it."}
            )

    def save(self, *args, **kwargs):
        about_html = render_markdown(self.about)
        self.about_html = explain_terms(about_html, page_terms())  # as every page does
        parts = [
            plain_text(about_html),
            self.address,
            self.parking,
            self.transit,
            self.access,
        ]
        self.body_text = "\n".join(part for part in parts if part)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "about_html", "body_text"}
        super().save(*args, **kwargs)

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def maps_url(self):
        return MAPS_SEARCH_URL + urlencode({"api": 1, "query": ", ".join(self.address_lines)})


class OpeningHours(models.Model):
    """One span of a weekday's regular hours; a day with a lunch break has two."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(hours.WEEKDAYS)))
    opens = models.TimeField()
    closes = models.TimeField(help_text="00:00 means midnight, at the end of the day.")

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = verbose_name_plural = "opening hours"

    def __str__(self):
        return f"{hours.WEEKDAYS[self.weekday]} {hours.clock(self.opens)} to {hours.clock(self.closes)}"

    def clean(self):
        problem = hours.span_problem(self.opens, self.closes)
        if problem and self.opens and self.closes:
            raise ValidationError({"closes": f"This {problem}."})


class HoursException(models.Model):
    """A date with other hours than usual: a holiday (closed) or special hours."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    closed = models.BooleanField("closed all day", default=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=100, blank=True, help_text="e.g. Thanksgiving")

    class Meta:
        ordering = ["date"]
        verbose_name = "holiday or special hours"
        verbose_name_plural = "holidays and special hours"
        constraints = [
            models.UniqueConstraint(
                fields=["location", "date"],
                name="one_exception_per_location_and_date",
                violation_error_message="This location already has a change for this date.",
            )
        ]

    def __str__(self):
        return f"{self.date}: {'closed' if self.closed else 'special hours'}"

    def clean(self):
        if self.closed:
            self.opens = self.closes = None
            return
        problem = hours.span_problem(self.opens, self.closes)
        if problem:
            raise ValidationError(
                f"Special hours: {problem}; or tick “closed all day”.".replace(": g", ": G")
            )


def sample_new_patients_text():
    """The text a new site starts with (locations/new_patients_sample.md): it says it is a sample."""
    return (Path(__file__).parent / "new_patients_sample.md").read_text()


NEW_PATIENTS_SUMMARY = (
    "What to bring to your first visit, referrals, forms, and the insurance plans we take."
)


class NewPatientsPage(SingletonModel):
    """/new-patients/: what to bring, referrals, forms and the first visit, and the
    insurance plans the clinic takes. One page, edited in admin."""

    body = MarkdownxField(
        default=sample_new_patients_text,
        help_text="Markdown. Use ## for sections: what to bring, referrals, forms, your first visit.",
    )
    insurance_note = models.TextField(
        default="Plans change often. Please call us before your visit to check that we "
        "take your plan.",
        help_text="Shown with the list of plans: tell patients to call and check.",
    )
    body_html = models.TextField(editable=False, default="")
    updated = models.DateTimeField(auto_now=True)
    # For site search (locations.search): the page is found as any page is, by its
    # title, summary and text, which includes the names of the plans we take, so that
    # "insurance" or a plan's name finds it. Kept up to date when a plan changes.
    title = models.CharField(max_length=80, editable=False, default="New patients")
    summary = models.CharField(max_length=160, editable=False, default=NEW_PATIENTS_SUMMARY)
    search_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=document_vector(["title"], "summary", "search_text"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    names_vector = models.GeneratedField(
        expression=title_vector(["title"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = "new patients page"

    def __str__(self):
        return "New patients page"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        plans = self.plans.values_list("name", flat=True) if self.pk else []
        self.search_text = "\n".join(
            [plain_text(self.body_html), "Insurance. We accept:", *plans, self.insurance_note]
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "search_text"}
        super().save(*args, **kwargs)


class InsurancePlan(models.Model):
    """A plan the clinic accepts, listed on the new patients page."""

    page = models.ForeignKey(NewPatientsPage, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class NewPatientsPageTranslation(BodyTranslation):
    """The new patients page in another language (spinesite.translations)."""

    source_fields = ("body", "insurance_note")
    optional_fields = ("insurance_note",)  # empty: the English note stays

    insurance_note = models.TextField(
        blank=True, help_text="Shown with the list of plans: tell patients to call and check."
    )

    page = models.ForeignKey(
        NewPatientsPage, on_delete=models.CASCADE, related_name="translations"
    )

    class Meta(BodyTranslation.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="newpatientspage_one_per_language"
            )
        ]


class LocationTranslation(Translation):
    """A location's text in another language (spinesite.translations); the address,
    phone and hours are not translated."""

    source_fields = ("summary", "about", "parking", "transit", "access", "map_alt")
    # Every field may be left blank: a blank one leaves the English in its place
    # (getting there, and the map's description, matter more than the language).
    optional_fields = ("summary", "about_html", "parking", "transit", "access", "map_alt")
    title_field = "summary"
    clinically_reviewed = False
    # Untranslated, still listed and linked from Spanish pages, in English
    # (spinesite.translated_lists.links_in): a patient needs to reach them.
    shown_untranslated = True
    # What Spanish search reads of it besides the summary (spinesite.translated_search).
    searched_fields = ("about", "parking", "transit", "access")
    explained_html = ("about_html",)

    page = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="translations")
    summary = models.CharField(max_length=200, blank=True)
    about = models.TextField(blank=True, help_text="Markdown.")
    parking = models.TextField(blank=True)
    transit = models.TextField("public transit", blank=True)
    access = models.TextField("access details", blank=True)
    map_alt = models.CharField("map description", max_length=250, blank=True)
    about_html = models.TextField(editable=False, default="")

    class Meta(Translation.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="location_one_per_language")
        ]

    def save(self, *args, **kwargs):
        self.about_html = self.explain(render_markdown(self.about))  # as the English
        super().save(*args, **kwargs)
