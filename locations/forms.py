"""Checks shared by the admin and the content loader: the same rules either way."""

import re
from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError

from spinesite.adminforms import PageAdminForm
from spinesite.images import checked_image

from . import hours
from .models import HoursException, Location, OpeningHours


class LocationForm(PageAdminForm):
    class Meta:
        model = Location
        fields = ["map_image", "map_alt"]  # the admin adds its fieldsets' fields
        # A plain file field: prepare_image() then says what is wrong with a bad image.
        field_classes = {"map_image": forms.FileField}

    def clean_map_image(self):
        return checked_image(self.cleaned_data.get("map_image"), "map")


class HoursExceptionForm(forms.ModelForm):
    class Meta:
        model = HoursException
        fields = ["date", "closed", "opens", "closes", "note"]
        error_messages = {"date": {"required": "Enter the date this change is for."}}


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """A location's weekly hours: no two spans on one day may overlap."""

    def clean(self):
        super().clean()
        rows = [
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in self.forms
            if not form.errors
            and form.cleaned_data.get("opens")
            and not form.cleaned_data.get("DELETE")
        ]
        problems = hours.weekly_problems(rows)
        if problems:
            raise ValidationError([f"{problem}." for problem in problems])


# Content files (content/locations/*.md):
#   hours:
#     monday: "8:00-17:00"
#     tuesday: ["8:00-12:00", "13:00-17:00"]
#   exceptions:
#     - {date: 2026-12-25, closed: true, note: Christmas Day}
#     - {date: 2026-12-24, hours: "8:00-12:00", note: Christmas Eve}
SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _span(text):
    """(opens, closes) from "8:00-17:00" (in quotes), or a string saying what is wrong."""
    found = SPAN.match(text) if isinstance(text, str) else None
    try:
        h1, m1, h2, m2 = (int(part) for part in found.groups())
        opens, closes = time(h1, m1), time(h2 % 24 if (h2, m2) == (24, 0) else h2, m2)
    except (AttributeError, ValueError):
        return f"'{text}' is not a span of hours such as \"8:00-17:00\" (in quotes)"
    return hours.span_problem(opens, closes) or (opens, closes)


def read_hours(value):
    """Weekly hours from front matter: (rows, problems)."""
    if value is None:
        return [], []
    if not isinstance(value, dict):
        return [], ["give each weekday's hours, e.g. monday: 8:00-17:00"]
    rows, problems = [], []
    names = {name.lower(): number for number, name in enumerate(hours.WEEKDAYS)}
    for day, spans in value.items():
        if str(day).lower() not in names:
            problems.append(f"'{day}' is not a weekday (monday to sunday)")
            continue
        for text in spans if isinstance(spans, list) else [spans]:
            span = _span(text)
            if isinstance(span, str):
                problems.append(f"{str(day).capitalize()}: {span}")
            else:
                rows.append((names[str(day).lower()], *span))
    return rows, problems + hours.weekly_problems(rows)


def read_exceptions(value):
    """Holidays and special hours from front matter: (rows, problems)."""
    if value is None:
        return [], []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], ["give a list of dates, e.g. - {date: 2026-12-25, closed: true}"]
    rows, problems, seen = [], [], set()
    for number, item in enumerate(value, start=1):
        day, note = item.get("date"), str(item.get("note") or "")[:100]
        if not isinstance(day, date):
            problems.append(f"item {number} has no date (write it as 2026-12-25)")
            continue
        if day in seen:
            problems.append(f"{day} is listed twice")
        seen.add(day)
        if "hours" not in item:
            rows.append(HoursException(date=day, closed=True, note=note))
            continue
        span = _span(item["hours"])
        if isinstance(span, str):
            problems.append(f"{day}: {span}")
        else:
            rows.append(
                HoursException(date=day, closed=False, opens=span[0], closes=span[1], note=note)
            )
    return rows, problems


def write_hours(location, rows):
    location.hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in rows
    )


def write_exceptions(location, rows):
    location.exceptions.all().delete()
    for row in rows:
        row.location = location
    HoursException.objects.bulk_create(rows)
