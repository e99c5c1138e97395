from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from solo.models import SingletonModel

from spinesite.markdown import render_markdown


def language_choices():
    """The languages a patient may ask us to use: the site's, then those whose
    language-assistance taglines the clinic shows (LANGUAGE_ASSISTANCE_TAGLINES),
    each named in its own language, then "another language"."""
    codes = [code for code, _name in settings.LANGUAGES]
    codes += [c for c in settings.LANGUAGE_ASSISTANCE_TAGLINES if c not in codes]
    return [
        *((code, language_name(code)) for code in codes),
        (OTHER_LANGUAGE, _("Another language")),
    ]


OTHER_LANGUAGE = "other"


def language_name(code):
    """A language's own name for itself ("Español"), or the code if Django has none."""
    try:
        return capfirst(get_language_info(code)["name_local"])
    except KeyError:
        return code


class ConsultationRequestQuerySet(models.QuerySet):
    def open(self):
        """Not closed and not spam: someone still has to deal with these."""
        Status = ConsultationRequest.Status
        return self.filter(status__in=[Status.NEW, Status.CONTACTED, Status.SCHEDULED])

    def stale(self):
        """Open, and unchanged for CONSULTATION_STALE_DAYS: flagged to the front desk."""
        cutoff = timezone.now() - timedelta(days=settings.CONSULTATION_STALE_DAYS)
        return self.open().filter(updated__lt=cutoff)

    def pending_notification(self):
        """Requests staff have not been told about yet (spam is never announced)."""
        return self.filter(notified_at__isnull=True).exclude(
            status=ConsultationRequest.Status.SPAM
        )


class ConsultationRequest(models.Model):
    """What a person asked for on the contact form, and how the front desk handled it.

    Health information: only the "Front desk" group (and superusers) may see it.
    `__str__` names no one, because it ends up in admin messages and history.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"
        # Sent suspiciously fast (maybe autofill): kept, shown and never purged until
        # someone at the front desk has looked and chosen another status.
        POSSIBLE_SPAM = "review", "Possible spam: check"
        SPAM = "spam", "Spam"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        EMAIL = "email", _("Email")
        EITHER = "either", _("Either is fine")

    class ContactTime(models.TextChoices):
        ANY = "any", _("Any time we are open")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    # What the person sent
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_contact = models.CharField(
        "preferred way to be contacted", max_length=10, choices=ContactMethod
    )
    preferred_time = models.CharField(
        "preferred time to be contacted",
        max_length=10,
        choices=ContactTime,
        default=ContactTime.ANY,
    )
    condition = models.ForeignKey(
        "conditions.Condition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty: not sure, or something else.",
    )
    topic = models.CharField(
        max_length=200,
        blank=True,
        help_text="The condition's title when the request was sent.",
    )
    location = models.ForeignKey(
        "locations.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="preferred location",
        help_text="Empty: no preference.",
    )
    # The language the patient would like us to use with them; the form preselects
    # the page's language. Empty for requests sent before the form asked.
    preferred_language = models.CharField(
        "preferred language", max_length=12, blank=True, default="", choices=language_choices
    )
    message = models.TextField(blank=True)
    consented_at = models.DateTimeField("agreed to be contacted at")

    # Handling by the front desk
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True, "is_active": True},
        verbose_name="assigned staff member",
    )
    internal_notes = models.TextField(
        blank=True, help_text="Only staff see these. Keep clinical detail in the patient record."
    )
    status_changed_at = models.DateTimeField("status changed at", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="status changed by",
    )

    # Bookkeeping
    created = models.DateTimeField("received", default=timezone.now, db_index=True)
    updated = models.DateTimeField("last changed", auto_now=True)
    spam_reason = models.CharField(max_length=40, blank=True)
    notified_at = models.DateTimeField("staff notified at", null=True, blank=True)
    notify_attempts = models.PositiveIntegerField("notification attempts", default=0)
    # From the random id in the form's signed token and what was typed: the same form
    # sent twice with the same words (a double click, a retried POST) is stored once.
    submission_id = models.UUIDField(unique=True, null=True, editable=False)

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [("export_consultationrequest", "Can export consultation requests")]
        indexes = [
            models.Index(
                fields=["id"],
                name="contact_pending_notify_idx",
                condition=models.Q(notified_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"Request #{self.pk}" if self.pk else "New request"

    def get_admin_url(self):
        return reverse("admin:contact_consultationrequest_change", args=[self.pk])


class AccessEvent(models.Model):
    """Who looked at, searched, exported, changed or deleted which requests, and when.

    Append-only: the admin offers no way to change or delete a row, and a trigger
    in PostgreSQL (migration 0005) refuses UPDATE and DELETE, but for rows older than
    the retention period deleted by `contact_purge_access_events()`. The user is a
    name and a number, not a foreign key, so the record outlives the account.
    """

    class Action(models.TextChoices):
        LIST = "list", "Listed"
        SEARCH = "search", "Searched"
        FILTER = "filter", "Filtered"
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action)
    requests = ArrayField(
        models.BigIntegerField(), default=list, help_text="Numbers of the requests concerned."
    )
    detail = models.CharField(
        max_length=500, blank=True, help_text="Search words and filters, or what changed."
    )

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)  # nobody adds, changes or deletes
        permissions = [("export_accessevent", "Can export the access audit")]
        indexes = [GinIndex(fields=["requests"], name="contact_access_requests_gin")]
        verbose_name = "access audit entry"
        verbose_name_plural = "access audit"

    def __str__(self):
        return f"{self.username} {self.action} at {self.at:%Y-%m-%d %H:%M}"


def sample_language_help_text():
    """The notices a new site starts with (contact/language_help_sample.md)."""
    return (Path(__file__).parent / "language_help_sample.md").read_text()


def sample_language_help_text_es():
    return (Path(__file__).parent / "language_help_sample.es.md").read_text()


class LanguageHelpPage(SingletonModel):
    """/language-help/: the notice of nondiscrimination and the notice that language
    assistance is available (Section 1557 of the Affordable Care Act), with taglines
    in the languages of LANGUAGE_ASSISTANCE_TAGLINES. One page, edited in admin;
    until then it shows a sample that says it is one."""

    body = MarkdownxField(
        "notice (English)",
        default=sample_language_help_text,
        help_text="Markdown. The notice of nondiscrimination and of free language help.",
    )
    body_es = MarkdownxField(
        "notice (Spanish)",
        default=sample_language_help_text_es,
        help_text="The same notice in Spanish, shown on /es/language-help/.",
    )
    body_html = models.TextField(editable=False, default="")
    body_es_html = models.TextField(editable=False, default="")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "language help and nondiscrimination page"

    def __str__(self):
        return "Language help and nondiscrimination page"

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        self.body_html = render_markdown(self.body)
        self.body_es_html = render_markdown(self.body_es)

    def html(self, language):
        return self.body_es_html if language == "es" else self.body_html


class LanguageTagline(models.Model):
    """'Language help is free: call ...', written in one language by the clinic."""

    page = models.ForeignKey(LanguageHelpPage, on_delete=models.CASCADE, related_name="taglines")
    language = models.CharField(
        max_length=12,
        help_text="A language code from LANGUAGE_ASSISTANCE_TAGLINES, e.g. es, vi, zh-hant.",
    )
    text = models.TextField(
        help_text="In that language. {phone} is replaced by the clinic's phone number."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="contact_one_tagline_per_language"
            )
        ]
        ordering = ["language"]

    def __str__(self):
        return self.language
