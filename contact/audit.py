"""The access audit: who saw or touched which consultation requests, and when.

`record` is called by the requests' admin for every list, search, filter, view,
export, change and delete. The audit itself (AccessEventAdmin) is readable only
with the "view access audit" permission (the "Privacy officer" group), exportable
with "export access audit", and changeable by no one (see AccessEvent).
"""

from django.conf import settings
from django.contrib import admin
from django.db import connection

from .export import audit_rows, csv_response
from .models import AccessEvent

DETAIL_MAX = AccessEvent._meta.get_field("detail").max_length


def record(request, action, requests, detail=""):
    """Append one entry (the caller's user, now) about the requests numbered `requests`."""
    user = request.user
    AccessEvent.objects.create(
        user_id=user.pk,
        username=user.get_username(),
        action=action,
        requests=sorted({int(pk) for pk in requests}),
        detail=detail[:DETAIL_MAX],
    )


def purge(days=None):
    """Delete entries older than AUDIT_RETENTION_DAYS through the database's own
    function, the one path its append-only trigger lets through; returns how many."""
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_purge_access_events(%s)", [days])
        return cursor.fetchone()[0]


class RequestNumberFilter(admin.SimpleListFilter):
    """Everything that happened to one request: ?request=<number>."""

    title = "request number"
    parameter_name = "request"

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        value = (self.value() or "").lstrip("#")
        if value.isdigit():
            return queryset.filter(requests__contains=[int(value)])
        return queryset


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "request_numbers", "detail"]
    list_filter = ["action", "at", RequestNumberFilter]
    search_fields = ["username", "detail"]
    date_hierarchy = "at"
    actions = ["export_csv"]
    list_per_page = 100

    @admin.display(description="requests")
    def request_numbers(self, obj):
        shown = ", ".join(f"#{pk}" for pk in obj.requests[:20])
        return shown + (f" and {len(obj.requests) - 20} more" if len(obj.requests) > 20 else "")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lstrip("#")
        if term.isdigit():  # a request's number
            return queryset.filter(requests__contains=[int(term)]), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("contact.export_accessevent")

    @admin.action(description="Export selected entries as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return csv_response("access-audit", audit_rows(queryset))
