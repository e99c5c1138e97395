"""CSV downloads for the admin: consultation requests and the access audit."""

import csv

from django.http import HttpResponse
from django.utils import timezone

# Columns of the requests' CSV export, in order.
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


def csv_response(name, rows):
    """A CSV download of `rows` (the first is the header), never kept in a cache."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


def requests_rows(queryset):
    yield EXPORT_FIELDS
    for item in queryset.select_related("assigned_to").order_by("-created", "-id"):
        yield [
            item.pk,
            timezone.localtime(item.created).isoformat(timespec="minutes"),
            item.get_status_display(),
            item.name,
            item.phone,
            item.email,
            item.get_preferred_contact_display(),
            item.get_preferred_time_display(),
            item.topic or "Not sure / other",
            item.message,
            item.assigned_to.get_username() if item.assigned_to else "",
            item.internal_notes,
        ]


def audit_rows(queryset):
    yield ["at", "user", "action", "requests", "detail"]
    for event in queryset.order_by("at", "id"):
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.username,
            event.get_action_display(),
            " ".join(str(pk) for pk in event.requests),
            event.detail,
        ]
