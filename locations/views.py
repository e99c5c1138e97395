from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from spinesite import fragments, seo, translated_lists, translated_pages
from spinesite.markdown import render_markdown

from .hours import Schedule, clinic_zone
from .models import HoursException, InsurancePlan, Location, NewPatientsPage, OpeningHours
from .structured_data import medical_clinic


def with_schedules(locations, today):
    """Each location with its hours and its exceptions from `today` on, in the same query."""
    hours = (
        OpeningHours.objects.filter(location=OuterRef("pk"))
        .order_by("weekday", "opens")
        .values(json=JSONObject(weekday="weekday", opens="opens", closes="closes"))
    )
    exceptions = (
        HoursException.objects.filter(location=OuterRef("pk"), date__gte=today)
        .order_by("date")
        .values(
            json=JSONObject(
                date="date", closed="closed", opens="opens", closes="closes", note="note"
            )
        )
    )
    return locations.annotate(
        hour_rows=ArraySubquery(hours), exception_rows=ArraySubquery(exceptions)
    )


def _with_status(locations, now):
    """Attach each location's schedule and status; the earliest moment any changes."""
    until = None
    for location in locations:
        location.schedule = Schedule.from_rows(location.hour_rows, location.exception_rows)
        location.opening = location.schedule.status(now)
        until = min(until or location.opening.valid_until, location.opening.valid_until)
    return until


def expires(response, until):
    """The page says "open now": the page cache keeps it only until that changes."""
    if until is not None:
        response.cache_until = until
    return response


def location_index(request):
    now = timezone.now()
    today = now.astimezone(clinic_zone()).date()
    # Read once per content version, language and day (spinesite.fragments); the
    # status ("open now") is worked out per request, and the list kept until any
    # status changes.
    locations = fragments.cached(
        request,
        "locations",
        (today,),
        lambda: list(
            translated_lists.every_in(
                with_schedules(Location.objects.published(), today),
                translated_pages.current_language(),
            )
        ),
    )
    until = _with_status(locations, now)
    context = {"locations": locations, "unchanged": (today, until)}
    return expires(render(request, "locations/index.html", context), until)


def location_detail(request, slug):
    """A published location, or a draft for staff to preview; 404 for anyone else.

    Its hours, exceptions and clinicians come in the same query as the place.
    """
    now = timezone.now()
    today = now.astimezone(clinic_zone()).date()
    # Read once per content version and day (spinesite.fragments), as the page is
    # rendered; the status ("open now") is worked out per request.
    found = fragments.cached(
        request,
        "location-page",
        (slug, today, Location.objects.visibility_key(request)),
        lambda: _location_page(request, slug, today),
    )
    if found is None:
        raise Http404
    location, structured_data = found
    until = _with_status([location], now)
    context = {
        "location": location,
        "upcoming": location.schedule.upcoming(today),
        "structured_data": structured_data,
        "alternates": translated_pages.alternates(location),
        "unchanged": (today, until),
    }
    return expires(render(request, "locations/detail.html", context), until)


def _location_page(request, slug, today):
    """The location at `slug` that the request may see, in the page's language, with its
    hours from `today` on and its clinicians, and its structured data; None if none."""
    pages = Location.objects.visible_to(request)
    Clinician = Location._meta.get_field("clinicians").related_model  # clinicians imports us
    language = translated_pages.current_language()
    clinicians = translated_lists.links_in(
        Clinician.objects.published().filter(locations=OuterRef("pk")), language
    )
    pages = translated_pages.with_translation(pages, language)
    location = (
        with_schedules(pages.defer("search_vector", "names_vector"), today)
        .annotate(clinician_pages=ArraySubquery(clinicians))
        .filter(slug=slug)
        .first()
    )
    if location is None:
        return None
    translated_pages.apply_or_english(location, language)
    location.schedule = Schedule.from_rows(location.hour_rows, location.exception_rows)
    return location, seo.json_ld(medical_clinic(location, request))


def new_patients(request):
    """What a new patient needs to know, and the insurance plans we take: one query."""
    language = translated_pages.current_language()
    page = (
        translated_pages.with_translation(
            NewPatientsPage.objects.filter(pk=NewPatientsPage.singleton_instance_id), language
        )
        .annotate(
            plan_names=ArraySubquery(
                InsurancePlan.objects.filter(page=OuterRef("pk"))
                .order_by("position", "name")
                .values("name")
            )
        )
        .first()
    )
    if page is None:  # not saved in admin yet: the sample text, without writing anything
        page = NewPatientsPage()
        page.body_html, page.plan_names = render_markdown(page.body), []
    with translation.override(settings.LANGUAGE_CODE):
        english_url = reverse("newpatients")
    translated_pages.apply_or_english(page, language, english_url)
    context = {"page": page, "alternates": translated_pages.alternates_of(page, english_url)}
    return render(request, "locations/new_patients.html", context)
