from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format, time_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.debug import sensitive_post_parameters

from . import (
    audit,  # also registers the audit's own admin
    language_help_admin,  # noqa: F401 - registers the language help page's admin
)
from .export import csv_response, requests_rows
from .models import AccessEvent, ConsultationRequest

Status = ConsultationRequest.Status
Action = AccessEvent.Action
# Query-string keys that only page or sort the list; any other key filters it.
LIST_ONLY_KEYS = {"p", "o", "q", "_changelist_filters"}


def tel_link(phone):
    """A tel: link; the href keeps only what a phone dials (digits, + and the extension)."""
    if not phone:
        return ""
    number, _, extension = phone.lower().replace("ext.", "x").replace("ext", "x").partition("x")
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    extension = "".join(ch for ch in extension if ch.isdigit())
    href = f"tel:{digits}" + (f";ext={extension}" if extension else "")
    return format_html('<a href="{}">{}</a>', href, phone)


class AttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("review", "Possible spam: check"),
            ("stale", f"Open over {settings.CONSULTATION_STALE_DAYS} days"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=Status.POSSIBLE_SPAM)
        if self.value() == "stale":
            return queryset.stale()
        return queryset


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
    # Few, narrow columns: readable at 1,280 px beside the filters, and on a tablet.
    list_display = [
        "number",
        "received",
        "status",
        "name",
        "reach",
        "topic_display",
        "assigned_to",
        "notified",
    ]
    list_display_links = ["number", "name"]
    list_filter = [
        AttentionFilter,
        "status",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        "condition",
        "location",
        "preferred_language",
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
                    "phone_link",
                    "email_link",
                    "preferred_contact",
                    "preferred_time",
                    "condition",
                    "topic",
                    "location",
                    "preferred_language",
                    "message",
                    "consented_at",
                ]
            },
        ),
        (
            "Handling",
            {
                "fields": [
                    "status",
                    "status_changed_at",
                    "status_changed_by",
                    "assigned_to",
                    "internal_notes",
                ]
            },
        ),
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
        "phone_link",
        "email_link",
        "preferred_contact",
        "preferred_time",
        "condition",
        "topic",
        "location",
        "preferred_language",
        "message",
        "consented_at",
        "notified_at",
        "notify_attempts",
        "spam_reason",
        "updated",
        "status_changed_at",
        "status_changed_by",
    ]

    @admin.display(description="#", ordering="id")
    def number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="received", ordering="created")
    def received(self, obj):
        when = timezone.localtime(obj.created)
        return format_html("{}<br>{}", date_format(when, "M j, Y"), time_format(when, "g:i a"))

    @admin.display(description="phone")
    def phone_link(self, obj):
        return tel_link(obj.phone) or "-"

    @admin.display(description="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{0}">{0}</a>', obj.email) if obj.email else "-"

    @admin.display(description="how to reach")
    def reach(self, obj):
        """Phone and email as links, then the preferred way and time, on short lines."""
        lines = [tel_link(obj.phone)]
        if obj.email:
            lines.append(format_html('<a href="mailto:{0}">{0}</a>', obj.email))
        lines.append(
            f"{obj.get_preferred_contact_display()}, {obj.get_preferred_time_display().lower()}"
        )
        # The language to call back in, seen at a glance without a column of its own
        # (the list must fit 1,280 px); English, the default, is not repeated.
        if obj.preferred_language and obj.preferred_language != settings.LANGUAGE_CODE:
            lines.append(
                format_html(
                    'Language: <span lang="{}">{}</span>',
                    "" if obj.preferred_language == "other" else obj.preferred_language,
                    obj.get_preferred_language_display(),
                )
            )
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines if line))

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

    # The access audit (contact.audit): every list, search, filter and view is recorded
    # with the requests it showed; changes, deletions and exports below.
    class Media:
        css = {"all": ["contact/requests-admin.css"]}

    def changelist_view(self, request, extra_context=None):
        # The list needs the width the admin's navigation sidebar would take.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and response.status_code == 200:
            shown = [item.pk for item in changelist.result_list]
            if changelist.query:
                action = Action.SEARCH
            elif set(request.GET) - LIST_ONLY_KEYS:
                action = Action.FILTER
            else:
                action = Action.LIST
            audit.record(request, action, shown, request.GET.urlencode())
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the page, or the form shown again with errors
            audit.record(request, Action.VIEW, [object_id])
        return response

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.status_changed_at, obj.status_changed_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        fields = ", ".join(
            name for part in message for name in part.get("changed", {}).get("fields", [])
        )
        audit.record(request, Action.CHANGE, [obj.pk], f"changed: {fields}" if fields else "")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        audit.record(request, Action.DELETE, [obj.pk for obj in queryset])
        return super().log_deletions(request, queryset)

    # Actions
    def _set_status(self, request, queryset, status):
        items = list(queryset.select_related(None).only("pk"))
        now = timezone.now()
        count = queryset.update(
            status=status, updated=now, status_changed_at=now, status_changed_by=request.user
        )
        label = Status(status).label
        for item in items:  # in each request's history, with who and when
            super().log_change(request, item, f"Status set to {label}.")
        audit.record(request, Action.CHANGE, [i.pk for i in items], f"status: {label}")
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
        audit.record(request, Action.EXPORT, queryset.values_list("pk", flat=True))
        return csv_response("consultation-requests", requests_rows(queryset))
