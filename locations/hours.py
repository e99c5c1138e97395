"""Opening hours: whether a location is open at a moment, and when that next changes.

Hours are local times in the clinic's time zone (settings.TIME_ZONE): a span on a
date becomes two moments through zoneinfo, so a day on which the clocks change is
right, and "opens Monday 8 am" is 8 am on Monday's clock, whatever the offset. A span
ends at most at midnight (closing time 00:00 means midnight at the end of the day):
hours that run past midnight are written as two spans, one on each day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dates, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MIDNIGHT = time(0)
LOOK_AHEAD_DAYS = 15  # an exception may close a whole week: look two weeks ahead


def clinic_zone():
    return ZoneInfo(settings.TIME_ZONE)


def clock(moment):
    """8 am, 8:30 am, noon, 5 pm, midnight: as patients read times (in the active
    language: 8 a. m., mediodía)."""
    if moment == MIDNIGHT:
        return _("midnight")
    if moment == time(12):
        return _("noon")
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    if moment.hour < 12:
        return _("%(time)s am") % {"time": f"{hour}{minutes}"}
    return _("%(time)s pm") % {"time": f"{hour}{minutes}"}


def at_clock(moment):
    """A time as said after "opens" or "closes": "8 am" in English; in Spanish
    "a las 8 a. m.", "a la 1 p. m.", "al mediodía", "a la medianoche"."""
    if moment == MIDNIGHT:
        return pgettext("at a time", "midnight")
    if moment == time(12):
        return pgettext("at a time", "noon")
    if moment.hour % 12 == 1:
        return pgettext("at one o'clock", "%(clock)s") % {"clock": clock(moment)}
    return pgettext("at a time", "%(clock)s") % {"clock": clock(moment)}


def weekday_name(number):
    """Monday (0) to Sunday (6) in the active language (Django's own translations)."""
    return str(dates.WEEKDAYS[number])


def span_problem(opens, closes):
    """Why a span is wrong ("" if it is right): it must end after it starts."""
    if opens is None or closes is None:
        return "give both the opening and the closing time"
    if closes != MIDNIGHT and closes <= opens:
        return (
            f"closes at {clock(closes)}, before it opens at {clock(opens)} (hours that run "
            "past midnight are two rows: one until midnight, one from midnight)"
        )
    return ""


def _end(closes):
    return time.max if closes == MIDNIGHT else closes


def overlap_problems(spans):
    """Problems with one day's spans [(opens, closes)]: each overlapping pair."""
    problems = []
    ordered = sorted(spans, key=lambda span: span[0])
    for (opens, closes), (next_opens, next_closes) in zip(ordered, ordered[1:], strict=False):
        if next_opens < _end(closes):
            problems.append(
                f"{clock(opens)} to {clock(closes)} overlaps "
                f"{clock(next_opens)} to {clock(next_closes)}"
            )
    return problems


def weekly_problems(rows):
    """Problems with weekly hours [(weekday, opens, closes)], each naming its day."""
    problems, by_day = [], {}
    for weekday, opens, closes in rows:
        problem = span_problem(opens, closes)
        if problem:
            problems.append(f"{WEEKDAYS[weekday]}: {problem}")
        else:
            by_day.setdefault(weekday, []).append((opens, closes))
    for weekday in sorted(by_day):
        problems += [f"{WEEKDAYS[weekday]}: {p}" for p in overlap_problems(by_day[weekday])]
    return problems


@dataclass(frozen=True)
class Status:
    is_open: bool
    label: str  # "Open now, closes 5 pm" or "Closed, opens Monday 8 am"
    valid_until: datetime  # when the label may change: a page showing it expires then


@dataclass
class Schedule:
    """A location's weekly hours and its exceptions (holidays, special hours).

    `weekly` maps a weekday (0 is Monday) to its spans [(opens, closes)];
    `exceptions` maps a date to that date's spans, [] when closed all day.
    """

    weekly: dict = field(default_factory=dict)
    exceptions: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # date -> why ("Thanksgiving")

    @classmethod
    def from_rows(cls, hours, exceptions=()):
        """From the JSON rows the views read: {weekday, opens, closes} and
        {date, closed, opens, closes, note}."""
        schedule = cls()
        for row in hours:
            span = (_time(row["opens"]), _time(row["closes"]))
            schedule.weekly.setdefault(row["weekday"], []).append(span)
        for row in exceptions:
            day = date.fromisoformat(row["date"]) if isinstance(row["date"], str) else row["date"]
            spans = schedule.exceptions.setdefault(day, [])
            if not row["closed"]:
                spans.append((_time(row["opens"]), _time(row["closes"])))
            schedule.notes[day] = row.get("note", "")
        return schedule

    def spans_on(self, day):
        spans = self.exceptions[day] if day in self.exceptions else self.weekly.get(day.weekday())
        return sorted(spans or [])

    def status(self, now=None, zone=None):
        """Open or closed at `now` (default: now), and until when that holds."""
        zone = zone or clinic_zone()
        local = (now or timezone.now()).astimezone(zone)
        today = local.date()
        midnight = datetime.combine(today + timedelta(days=1), MIDNIGHT, tzinfo=zone)
        for offset in range(LOOK_AHEAD_DAYS):
            day = today + timedelta(days=offset)
            for opens, closes in self.spans_on(day):
                start = datetime.combine(day, opens, tzinfo=zone)
                end_day = day + timedelta(days=1) if closes == MIDNIGHT else day
                end = datetime.combine(end_day, closes, tzinfo=zone)
                if local < start:
                    label = _("Closed, opens %(when)s") % {"when": _day_word(day, today, opens)}
                    return Status(False, label, min(start, midnight))
                if local < end:
                    label = _("Open now, closes %(time)s") % {"time": at_clock(closes)}
                    return Status(True, label, min(end, midnight))
        return Status(False, _("Closed"), midnight)

    def week(self):
        """[(weekday name, "8 am to 5 pm" or "Closed")] from Monday, for a table."""
        return [
            (capfirst(weekday_name(number)), _spans_text(self.weekly.get(number, [])))
            for number in range(len(WEEKDAYS))
        ]

    def upcoming(self, today):
        """[(date, hours text, note)] for exceptions from `today` on, soonest first."""
        return [
            (day, _spans_text(self.exceptions[day]), self.notes.get(day, ""))
            for day in sorted(self.exceptions)
            if day >= today
        ]


def _time(value):
    return time.fromisoformat(value) if isinstance(value, str) else value


def _spans_text(spans):
    if not spans:
        return _("Closed")
    return ", ".join(
        _("%(opens)s to %(closes)s") % {"opens": clock(opens), "closes": clock(closes)}
        for opens, closes in sorted(spans)
    )


def _day_word(day, today, opens):
    """When a place opens next: "today 8 am", "Monday 8 am", "Monday, January 12,
    8 am"; in Spanish "hoy a las 8 a. m.", "el lunes a las 8 a. m."."""
    values = {"time": at_clock(opens), "weekday": weekday_name(day.weekday())}
    if day == today:
        return _("today %(time)s") % values
    if day == today + timedelta(days=1):
        return _("tomorrow %(time)s") % values
    if day < today + timedelta(days=7):
        return _("%(weekday)s %(time)s") % values
    values |= {"month": str(dates.MONTHS[day.month]), "day": day.day}
    return _("%(weekday)s, %(month)s %(day)s, %(time)s") % values
