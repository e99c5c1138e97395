import csv
import logging

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

from .models import ConsultationRequest

Status = ConsultationRequest.Status
logger = logging.getLogger(__name__)

# Columns of the CSV export, in order.
EXPORT_FIELDS = [
    "id",
    "created",
    "status",
    "name",
    "phone",
    "email",
    "preferred_contact",
    "preferred_time",
    "topic",
    "message",
    "assigned_to",
    "internal_notes",
]


def csv_cell(value):
    """Text a spreadsheet shows as text: no formulas from what a patient typed."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class NotifiedFilter(admin.SimpleListFilter):
    title = "staff email"
    parameter_name = "notified"

    def lookups(self, request, model_admin):
        return [("yes", "Sent"), ("no", "Not sent yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(notified_at__isnull=False)
        if self.value() == "no":
            return queryset.pending_notification()
        return queryset


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "created",
        "status",
        "name",
        "preferred_contact",
        "preferred_time",
        "topic_display",
        "assigned_to",
        "notified",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        "status",
        "preferred_contact",
        "preferred_time",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        "condition",
        "location",
        NotifiedFilter,
        "created",
    ]
    search_fields = ["=id", "name", "email", "phone", "topic", "message", "internal_notes"]
    date_hierarchy = "created"
    ordering = ["-created", "-id"]
    list_per_page = 50
    list_select_related = ["assigned_to", "condition", "location"]
    actions = [
        "mark_contacted",
        "mark_scheduled",
        "mark_closed",
        "mark_spam",
        "mark_new",
        "export_csv",
    ]
    fieldsets = [
        (
            "Request",
            {
                "fields": [
                    "created",
                    "name",
                    "phone",
                    "email",
                    "preferred_contact",
                    "preferred_time",
                    "condition",
                    "topic",
                    "location",
                    "message",
                    "consented_at",
                ]
            },
        ),
        ("Handling", {"fields": ["status", "assigned_to", "internal_notes"]}),
        (
            "Delivery",
            {
                "classes": ["collapse"],
                "fields": ["notified_at", "notify_attempts", "spam_reason", "updated"],
            },
        ),
    ]
    # What the person sent is a record: staff handle it, they do not rewrite it.
    readonly_fields = [
        "created",
        "name",
        "phone",
        "email",
        "preferred_contact",
        "preferred_time",
        "condition",
        "topic",
        "location",
        "message",
        "consented_at",
        "notified_at",
        "notify_attempts",
        "spam_reason",
        "updated",
    ]

    @admin.display(description="#", ordering="id")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="about", ordering="topic")
    def topic_display(self, obj):
        return obj.topic or "Not sure / other"

    @admin.display(description="staff emailed", boolean=True)
    def notified(self, obj):
        if obj.status == Status.SPAM and obj.notified_at is None:
            return None
        return obj.notified_at is not None

    def has_add_permission(self, request):
        return False  # requests come from the website's form only

    def has_export_permission(self, request):
        codename = get_permission_codename("export", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    @method_decorator(sensitive_post_parameters())
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    # Actions
    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status, updated=timezone.now())
        self.message_user(
            request,
            f"{count} request(s) marked as {Status(status).label.lower()}.",
            messages.SUCCESS,
        )

    @admin.action(description="Mark selected requests as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._set_status(request, queryset, Status.CONTACTED)

    @admin.action(description="Mark selected requests as scheduled", permissions=["change"])
    def mark_scheduled(self, request, queryset):
        self._set_status(request, queryset, Status.SCHEDULED)

    @admin.action(description="Mark selected requests as closed", permissions=["change"])
    def mark_closed(self, request, queryset):
        self._set_status(request, queryset, Status.CLOSED)

    @admin.action(description="Mark selected requests as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Status.SPAM)

    @admin.action(description="Mark selected requests as new again", permissions=["change"])
    def mark_new(self, request, queryset):
        self._set_status(request, queryset, Status.NEW)

    @admin.action(description="Export selected requests as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="consultation-requests-{stamp}.csv"'
        )
        response["Cache-Control"] = "no-store"
        logger.info(
            "%s exported %d consultation request(s) as CSV.",
            request.user.get_username(),
            queryset.count(),
        )
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(EXPORT_FIELDS)
        for item in queryset.select_related("assigned_to").order_by("-created", "-id"):
            writer.writerow(
                [
                    csv_cell(item.pk),
                    csv_cell(timezone.localtime(item.created).isoformat(timespec="minutes")),
                    csv_cell(item.get_status_display()),
                    csv_cell(item.name),
                    csv_cell(item.phone),
                    csv_cell(item.email),
                    csv_cell(item.get_preferred_contact_display()),
                    csv_cell(item.get_preferred_time_display()),
                    csv_cell(item.topic or "Not sure / other"),
                    csv_cell(item.message),
                    csv_cell(item.assigned_to.get_username() if item.assigned_to else ""),
                    csv_cell(item.internal_notes),
                ]
            )
        return response
