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
from django.utils import timezone

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MIDNIGHT = time(0)
LOOK_AHEAD_DAYS = 15  # an exception may close a whole week: look two weeks ahead


def clinic_zone():
    return ZoneInfo(settings.TIME_ZONE)


def clock(moment):
    """8 am, 8:30 am, noon, 5 pm, midnight: as patients read times."""
    if moment == MIDNIGHT:
        return "midnight"
    if moment == time(12):
        return "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"


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
                    label = f"Closed, opens {_day_word(day, today)}{clock(opens)}"
                    return Status(False, label, min(start, midnight))
                if local < end:
                    return Status(True, f"Open now, closes {clock(closes)}", min(end, midnight))
        return Status(False, "Closed", midnight)

    def week(self):
        """[(weekday name, "8 am to 5 pm" or "Closed")] from Monday, for a table."""
        return [
            (name, _spans_text(self.weekly.get(number, [])))
            for number, name in enumerate(WEEKDAYS)
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
        return "Closed"
    return ", ".join(f"{clock(opens)} to {clock(closes)}" for opens, closes in sorted(spans))


def _day_word(day, today):
    if day == today:
        return "today "
    if day == today + timedelta(days=1):
        return "tomorrow "
    if day < today + timedelta(days=7):
        return f"{WEEKDAYS[day.weekday()]} "
    return f"{WEEKDAYS[day.weekday()]}, {day:%B} {day.day}, "
