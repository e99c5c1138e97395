"""Locations: opening hours worked out on the server, pages, JSON-LD, and bad input."""

import json
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from locations.hours import Schedule
from locations.models import HoursException, Location
from spinesite.models import ClinicDetails
from tests.factories import ClinicianFactory, LocationFactory

NEW_YORK = ZoneInfo("America/New_York")


def at(*args, zone=NEW_YORK):
    return datetime(*args, tzinfo=zone)


def weekdays(opens=time(8), closes=time(17)):
    return Schedule(weekly={day: [(opens, closes)] for day in range(5)})


# Opening hours (locations.hours): pure logic, in the clinic's zone
# ------------------------------------------------------------------------------
def test_open_on_a_weekday_until_closing_time():
    status = weekdays().status(at(2027, 1, 4, 10, 0), NEW_YORK)  # a Monday
    assert status.is_open and status.label == "Open now, closes 5 pm"
    assert status.valid_until == at(2027, 1, 4, 17, 0)


def test_closed_before_opening_and_after_closing():
    early = weekdays().status(at(2027, 1, 4, 7, 59), NEW_YORK)
    assert not early.is_open and early.label == "Closed, opens today 8 am"
    assert early.valid_until == at(2027, 1, 4, 8, 0)
    late = weekdays().status(at(2027, 1, 4, 17, 0), NEW_YORK)
    assert late.label == "Closed, opens tomorrow 8 am"
    # The words change at midnight ("tomorrow" becomes "today"): that is when it expires.
    assert late.valid_until == at(2027, 1, 5, 0, 0)


def test_friday_evening_says_monday():
    status = weekdays().status(at(2027, 1, 8, 18, 30), NEW_YORK)  # a Friday
    assert status.label == "Closed, opens Monday 8 am"


def test_a_lunch_break_closes_between_two_spans():
    schedule = Schedule(weekly={0: [(time(13), time(17)), (time(8), time(12))]})
    assert schedule.status(at(2027, 1, 4, 12, 30), NEW_YORK).label == "Closed, opens today 1 pm"
    assert schedule.status(at(2027, 1, 4, 11, 0), NEW_YORK).label == "Open now, closes noon"


def test_hours_that_end_at_midnight_and_the_day_after():
    schedule = Schedule(weekly={5: [(time(20), time(0))], 0: [(time(8), time(12))]})
    before_midnight = schedule.status(at(2027, 1, 9, 23, 59), NEW_YORK)  # a Saturday
    assert before_midnight.is_open and before_midnight.label == "Open now, closes midnight"
    assert before_midnight.valid_until == at(2027, 1, 10, 0, 0)
    after_midnight = schedule.status(at(2027, 1, 10, 0, 0), NEW_YORK)  # Sunday
    assert not after_midnight.is_open
    assert after_midnight.label == "Closed, opens tomorrow 8 am"
    sunday_night = schedule.status(at(2027, 1, 10, 23, 30), NEW_YORK)
    assert sunday_night.label == "Closed, opens tomorrow 8 am"


@pytest.mark.parametrize(
    "day, opening_utc",
    [
        (date(2027, 3, 15), datetime(2027, 3, 15, 12, 0, tzinfo=UTC)),  # clocks went forward
        (date(2027, 11, 8), datetime(2027, 11, 8, 13, 0, tzinfo=UTC)),  # clocks went back
    ],
)
def test_opening_time_is_on_the_local_clock_across_a_dst_change(day, opening_utc):
    """The Sunday before, the clocks change; Monday still opens at 8 am local time,
    which is a different hour in UTC than the week before."""
    schedule = weekdays()
    sunday_evening = datetime.combine(date(day.year, day.month, day.day - 1), time(20), NEW_YORK)
    assert schedule.status(sunday_evening, NEW_YORK).label == "Closed, opens tomorrow 8 am"
    one_minute_early = opening_utc.replace(minute=59, hour=opening_utc.hour - 1)
    assert not schedule.status(one_minute_early, NEW_YORK).is_open
    opened = schedule.status(opening_utc, NEW_YORK)
    assert opened.is_open and opened.valid_until == datetime.combine(day, time(17), NEW_YORK)


def test_hours_over_the_night_the_clocks_go_forward_end_at_the_right_moment():
    """On 2027-03-14, 2 am becomes 3 am: a span from 1 am to 4 am lasts two hours, and
    its end is 4 am on the new offset (08:00 UTC), not on the old one (09:00 UTC)."""
    schedule = Schedule(weekly={6: [(time(1), time(4))]})
    before = schedule.status(datetime(2027, 3, 14, 5, 30, tzinfo=UTC), NEW_YORK)  # 0:30 EST
    assert before.label == "Closed, opens today 1 am"
    assert before.valid_until == datetime(2027, 3, 14, 6, 0, tzinfo=UTC)
    during = schedule.status(datetime(2027, 3, 14, 6, 30, tzinfo=UTC), NEW_YORK)  # 1:30 EST
    assert during.label == "Open now, closes 4 am"
    assert during.valid_until == datetime(2027, 3, 14, 8, 0, tzinfo=UTC)
    assert not schedule.status(datetime(2027, 3, 14, 8, 0, tzinfo=UTC), NEW_YORK).is_open


def test_a_holiday_closes_and_special_hours_replace_the_day():
    schedule = Schedule.from_rows(
        [{"weekday": day, "opens": "08:00:00", "closes": "17:00:00"} for day in range(5)],
        [
            {"date": "2026-12-24", "closed": False, "opens": "08:00:00", "closes": "12:00:00"},
            {"date": "2026-12-25", "closed": True, "opens": None, "closes": None},
        ],
    )
    christmas = schedule.status(at(2026, 12, 25, 10, 0), NEW_YORK)  # a Friday
    assert not christmas.is_open and christmas.label == "Closed, opens Monday 8 am"
    eve = schedule.status(at(2026, 12, 24, 11, 0), NEW_YORK)
    assert eve.label == "Open now, closes noon"
    assert schedule.status(at(2026, 12, 24, 12, 30), NEW_YORK).label == (
        "Closed, opens Monday 8 am"
    )


def test_never_open_says_closed():
    assert Schedule().status(at(2027, 1, 4, 10, 0), NEW_YORK).label == "Closed"


# Pages
# ------------------------------------------------------------------------------
pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Set the time the site thinks it is (views and the page cache both ask timezone.now)."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(UTC))

    return set_to


def test_the_page_cache_serves_open_now_only_until_it_changes(
    client, clock, settings, django_assert_num_queries
):
    settings.TIME_ZONE = "America/New_York"
    ClinicDetails.get_solo()  # made by the first visit ever: a content write
    LocationFactory(slug="main")
    clock(at(2027, 1, 4, 7, 59, 30))  # a Monday, 30 seconds before opening
    first = client.get("/locations/main/")
    assert "Closed, opens today 8 am" in first.content.decode()
    assert "max-age=30" in first["Cache-Control"]  # proxies keep it no longer either
    clock(at(2027, 1, 4, 7, 59, 50))
    # From the cache: only the content version is read (inside a test's transaction).
    with django_assert_num_queries(1):
        assert "Closed, opens today 8 am" in client.get("/locations/main/").content.decode()
    clock(at(2027, 1, 4, 8, 0, 1))
    assert "Open now, closes 5 pm" in client.get("/locations/main/").content.decode()
    assert "Open now, closes 5 pm" in client.get("/locations/").content.decode()


def test_location_page_shows_everything_a_patient_needs(client, clock):
    clock(at(2026, 12, 1, 10, 0))
    location = LocationFactory(
        slug="main",
        title="Main clinic",
        phone="(555) 010-0142",
        fax="(555) 010-0143",
        parking="Free parking behind the building.",
        transit="Bus 4 stops outside.",
        step_free=True,
        is_sample=True,
    )
    HoursException.objects.create(location=location, date=date(2026, 12, 25), note="Christmas")
    ClinicianFactory(title="Dr. Test Person", locations=[location])
    html = client.get("/locations/main/").content.decode()
    assert '<a class="tel" href="tel:5550100142">(555) 010-0142</a>' in html
    assert "Open now, closes 5 pm" in html
    assert "Christmas" in html and "Free parking" in html and "Bus 4" in html
    assert "This is a sample location." in html
    assert "Dr. Test Person" in html
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=100+Main+Street' in html
    assert '?location=main">Request a consultation' in html
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    ]
    clinic = next(item for item in data if item["@type"] == "MedicalClinic")
    assert clinic["faxNumber"] == "(555) 010-0143"
    assert len(clinic["openingHoursSpecification"]) == 5
    assert clinic["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "08:00",
        "closes": "17:00",
    }
    assert clinic["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-12-25",
            "validThrough": "2026-12-25",
            "opens": "00:00",
            "closes": "00:00",
        }
    ]


def test_footer_and_home_page_use_the_locations(client):
    html = client.get("/").content.decode()
    assert "100 Main Street" in html  # the clinic details' address, while there is no location
    LocationFactory(title="Only place", address="7 Elm Road\nAnytown", phone="(555) 010-0177")
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "7 Elm Road" in footer and "tel:5550100177" in footer
    assert "Only place" not in footer  # one location: no list of one, just the address
    assert "Where to find us" in html and "Only place" in html  # the home page's list
    LocationFactory(title="Second place", address="9 Oak Road")
    footer = client.get("/conditions/").content.decode().split('<footer class="site-footer">')[1]
    assert "Only place" in footer and "Second place" in footer


def test_drafts_are_not_listed_or_shown(client, staff_client):
    LocationFactory(slug="draft", title="Draft place", status=Location.Status.DRAFT)
    assert client.get("/locations/draft/").status_code == 404
    assert "Draft place" not in client.get("/locations/").content.decode()
    assert staff_client.get("/locations/draft/").status_code == 200


def test_new_patients_page_and_insurance_list(client, admin_client):
    html = client.get("/new-patients/").content.decode()
    assert "This is <strong>sample text</strong>" in html
    assert "Call to check your plan" in html
    response = admin_client.post(
        "/admin/locations/newpatientspage/",
        {
            "body": "## What to bring\n\nYour insurance card.",
            "insurance_note": "Plans change. Call us first.",
            "plans-TOTAL_FORMS": "2",
            "plans-INITIAL_FORMS": "0",
            "plans-0-name": "Sample Plan A",
            "plans-0-position": "1",
            "plans-1-name": "Sample Plan B",
            "plans-1-position": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get("/new-patients/").content.decode()
    assert "Your insurance card." in html and "We accept:" in html
    assert html.index("Sample Plan A") < html.index("Sample Plan B")
    assert "Plans change. Call us first." in html
