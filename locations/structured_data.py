"""JSON-LD for location pages: schema.org MedicalClinic with its opening hours."""

from spinesite.seo import SCHEMA, absolute_url

from .hours import MIDNIGHT, WEEKDAYS

DAY = "https://schema.org/{}"


def _hhmm(moment):
    return moment.strftime("%H:%M")


def medical_clinic(location, request=None):
    """MedicalClinic with openingHoursSpecification (the regular week) and
    specialOpeningHoursSpecification (holidays and special hours from today on).

    A day closed by an exception opens and closes at 00:00, as schema.org and
    Google document for closed days.
    """
    data = {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "name": location.title,
        "url": absolute_url(location.get_absolute_url(), request),
        "telephone": location.phone,
        "address": ", ".join(location.address_lines),
    }
    if location.fax:
        data["faxNumber"] = location.fax
    if location.email:
        data["email"] = location.email
    if location.map_image:
        data["hasMap"] = absolute_url(location.map_image.url, request)
    schedule = location.schedule
    data["openingHoursSpecification"] = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": DAY.format(name),
            "opens": _hhmm(opens),
            "closes": "23:59" if closes == MIDNIGHT else _hhmm(closes),
        }
        for number, name in enumerate(WEEKDAYS)
        for opens, closes in sorted(schedule.weekly.get(number, []))
    ]
    special = []
    for day in sorted(schedule.exceptions):
        spans = schedule.exceptions[day] or [(None, None)]
        for opens, closes in spans:
            special.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": day.isoformat(),
                    "validThrough": day.isoformat(),
                    "opens": _hhmm(opens) if opens else "00:00",
                    "closes": _hhmm(closes) if closes else "00:00",
                }
            )
    if special:
        data["specialOpeningHoursSpecification"] = special
    return data
