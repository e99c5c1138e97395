from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ConsultationRequestQuerySet(models.QuerySet):
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
        SPAM = "spam", "Spam"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        EMAIL = "email", "Email"
        EITHER = "either", "Either is fine"

    class ContactTime(models.TextChoices):
        ANY = "any", "Any time we are open"
        MORNING = "morning", "Morning"
        AFTERNOON = "afternoon", "Afternoon"

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
