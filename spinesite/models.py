from django.contrib.postgres.indexes import GistIndex
from django.db import models
from solo.models import SingletonModel


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

    class Meta:
        verbose_name = "clinic details"

    def __str__(self):
        return self.name

    @property
    def phone_href(self):
        """The phone number as a tel: link target."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"


class SearchTerm(models.Model):
    """A word used on the site's pages: what a misspelt search is corrected to.

    spinesite.search adds a page's words when it is saved; pg_trgm finds the words
    nearest to a misspelt one ("sciatika": "sciatica"), through the GiST index. Words of deleted or edited
    pages may linger; a correction to one of them just finds nothing.
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


class ContentVersion(models.Model):
    """One row whose value database triggers raise on every content write.

    spinesite.pagecache puts it in its cache keys; see migration 0003 for the
    tables that count as content.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"content version {self.value}"


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
