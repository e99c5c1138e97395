from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.templatetags.static import static
from django.urls import reverse
from solo.models import SingletonModel

from . import theme


class ClinicDetails(SingletonModel):
    """The clinic's name and how to reach it, shown in every page's header and footer."""

    name = models.CharField(max_length=120, default="Example Spine Clinic")
    phone = models.CharField(
        max_length=40,
        default="(555) 010-0199",
        help_text="As patients should dial it, e.g. (555) 010-0199.",
    )
    address = models.TextField(default="100 Main Street\nAnytown, ST 00000")
    opening_hours = models.TextField(
        default="Monday to Friday, 8 am to 5 pm\nClosed on weekends and public holidays",
        help_text="One line per entry.",
    )
    brand_colour = models.CharField(
        max_length=7,
        default=theme.DEFAULT_BRAND,
        validators=[theme.validate_brand_colour],
        help_text="The clinic's colour, as #rrggbb. The site derives its other colours from "
        "it and refuses one that would make text hard to read.",
    )
    logo = models.FileField(
        upload_to="clinic/",
        blank=True,
        help_text="SVG, PNG or WebP, with a transparent background; the clinic's name "
        "is shown instead until there is one. It also becomes the site's icon.",
    )
    logo_width = models.PositiveIntegerField(null=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, editable=False)
    favicon = models.FileField(upload_to="clinic/", blank=True, editable=False)

    class Meta:
        verbose_name = "clinic details"

    def __str__(self):
        return self.name

    @property
    def phone_href(self):
        """The phone number as a tel: link target."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"

    @property
    def theme_url(self):
        """The stylesheet with this clinic's palette; its URL changes with the colour."""
        return reverse("theme_css", args=[theme.theme_key(self.brand_colour)])

    @property
    def favicon_url(self):
        return self.favicon.url if self.favicon else static("favicon.svg")


class SearchTerm(models.Model):
    """A word used on the site's pages: what a misspelt search is corrected to.

    spinesite.vocabulary adds a page's words when it is saved; pg_trgm finds the words
    nearest to a misspelt one ("sciatika": "sciatica"), through the GiST index. Words
    of deleted or edited pages may linger; a correction to one of them just finds
    nothing.
    """

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        indexes = [
            GistIndex(
                fields=["word"], name="searchterm_word_trgm_idx", opclasses=["gist_trgm_ops"]
            )
        ]

    def __str__(self):
        return self.word


class SpanishSearchTerm(models.Model):
    """A word used on the Spanish pages, as SearchTerm is for the English: what a
    misspelt Spanish search is corrected to (spinesite.translated_search)."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        indexes = [
            GistIndex(
                fields=["word"], name="spanishterm_word_trgm_idx", opclasses=["gist_trgm_ops"]
            )
        ]

    def __str__(self):
        return self.word


class ContentVersion(models.Model):
    """One row whose value database triggers raise on every content write.

    spinesite.pagecache puts it in its cache keys; spinesite.triggers says which
    tables count as content.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"content version {self.value}"


class RateLimitHit(models.Model):
    """One counted action by one client, for `spinesite.ratelimit`. No address is stored."""

    scope = models.CharField(max_length=40)
    client = models.CharField(max_length=64, help_text="Salted hash of the client's address.")
    created = models.DateTimeField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "client", "created"])]

    def __str__(self):
        return f"{self.scope} hit at {self.created:%Y-%m-%d %H:%M}"


class MissedSearch(models.Model):
    """Words readers searched for that found nothing, counted per day (spinesite.searchlog).

    Only the words: nothing about who searched, when in the day, or from where.
    Kept for `SEARCH_LOG_DAYS` days (`purge_search_log`).
    """

    day = models.DateField()
    words = models.CharField(max_length=60)
    count = models.PositiveIntegerField("searches", default=0)

    class Meta:
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        ordering = ["-day", "-count", "words"]
        constraints = [
            models.UniqueConstraint(fields=["day", "words"], name="one_missed_search_a_day")
        ]

    def __str__(self):
        return self.words


class Redirect(models.Model):
    """An old address of a page of a registered kind, kept when its slug changes.

    It points at the page itself, not at an address, so a page renamed twice sends
    both old addresses straight to the current one (spinesite.redirects).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    old_slug = models.SlugField(max_length=200)
    object_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="redirect_old_slug")
        ]

    def __str__(self):
        return f"{self.old_slug} \u2192 page {self.object_id}"
