"""A video's duration as text: ISO 8601 for machines, words for readers."""

from django.utils.translation import gettext


def iso_duration(duration):
    seconds = max(int(duration.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if seconds or not (hours or minutes):
        parts.append(f"{seconds}S")
    return "PT" + "".join(parts)


def spoken_duration(duration):
    """'2 min 5 sec': readable on a card and by a screen reader, unlike '2:05'."""
    seconds = max(int(duration.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    # Interface text: "44 s" on a Spanish page, not "44 sec".
    parts = [
        gettext("%(hours)s hr") % {"hours": hours} if hours else "",
        gettext("%(minutes)s min") % {"minutes": minutes} if minutes else "",
    ]
    if seconds or not (hours or minutes):
        parts.append(gettext("%(seconds)s sec") % {"seconds": seconds})
    return " ".join(part for part in parts if part)
