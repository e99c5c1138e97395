import functools
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext as _

from spinesite import fragments, seo, translated_lists, translated_pages
from spinesite.indexes import PER_PAGE, numbered, page_number
from spinesite.templatetags.languages import language_name

from .models import BoardCertification, Clinician, Language, Specialty
from .structured_data import person

Location = Clinician._meta.get_field("locations").related_model


def _tags(model):
    return ArraySubquery(
        model.objects.filter(clinicians=OuterRef("pk"))
        .order_by("name")
        .values(json=JSONObject(name="name", slug="slug"))
    )


def with_tags(clinicians):
    """Each clinician's specialties, languages and published locations ([{name, slug}]),
    in the same query."""
    locations = (
        Location.objects.published()
        .filter(clinicians=OuterRef("pk"))
        .order_by("title")
        .values(json=JSONObject(name="title", slug="slug"))
    )
    return clinicians.annotate(
        specialty_list=_tags(Specialty),
        language_list=_tags(Language),
        location_list=ArraySubquery(locations),
    )


@dataclass
class Filter:
    """One of the index's filters: its query-string name, label, options and choice."""

    name: str
    label: str
    attribute: str
    options: list
    chosen: str = ""


def clinician_index(request):
    """The team, filtered by specialty, language and location through the query string.

    One query: a clinic has tens of clinicians, so all are read (with their tags) and
    filtered here, and the filters offer only what someone on the team has; a group's
    hundreds are listed a page at a time. A filter naming something nobody has
    answers 404 with the page and a note.
    """
    # Read once per content version and language (spinesite.fragments), each role in
    # the page's language where translated (else English, marked); filtered per request.
    team = fragments.cached(
        request,
        "clinician-team",
        (),
        lambda: list(
            translated_lists.every_in(
                with_tags(Clinician.objects.published()).defer("bio", "bio_text"),
                translated_pages.current_language(),
            )
        ),
    )
    filters = [
        Filter("specialty", _("Specialty"), "specialty_list", _options(team, "specialty_list")),
        Filter(
            "language",
            _("Language spoken"),
            "language_list",
            _options(team, "language_list", label=language_name),
        ),
        Filter("location", _("Location"), "location_list", _options(team, "location_list")),
    ]
    unknown = False
    shown = team
    for choice in filters:
        choice.chosen = request.GET.get(choice.name, "")
        if not choice.chosen:
            continue
        if choice.chosen not in dict(choice.options):
            unknown, choice.chosen = True, ""
            continue
        shown = [
            c
            for c in shown
            if any(t["slug"] == choice.chosen for t in getattr(c, choice.attribute))
        ]
    # A group's team can pass the few hundred one page should list (spinesite.indexes).
    keep = {choice.name: choice.chosen for choice in filters}
    page = numbered(
        Paginator(shown, PER_PAGE).get_page(page_number(request.GET.get("page"))), keep
    )
    context = {
        "team": team,
        "clinicians": shown,
        "page": page,
        "filters": filters,
        "unknown": unknown,
    }
    return render(request, "clinicians/index.html", context, status=404 if unknown else 200)


def _options(team, attribute, label=str):
    return sorted(
        {tag["slug"]: label(tag["name"]) for c in team for tag in getattr(c, attribute)}.items(),
        key=lambda option: option[1],
    )


def clinician_detail(request, slug):
    """A published profile, or a draft for staff to preview; 404 for anyone else.

    Its tags, certifications and the pages it links come in the same query.
    """
    # Read and made ready once per content version (spinesite.fragments).
    found = fragments.cached(
        request,
        "clinician-page",
        (slug, Clinician.objects.visibility_key(request)),
        lambda: _clinician_page(request, slug),
    )
    if found is None:
        raise Http404
    clinician, structured_data = found
    context = {
        "clinician": clinician,
        "structured_data": structured_data,
        "alternates": translated_pages.alternates(clinician),
    }
    response = render(request, "clinicians/detail.html", context)
    response["Last-Modified"] = http_date(clinician.updated.timestamp())
    return response


def _clinician_page(request, slug):
    """The profile at `slug` that the request may see, in the page's language, with
    what it links to, and its structured data; None if there is none."""
    pages = Clinician.objects.visible_to(request)
    Condition = Clinician._meta.get_field("conditions").related_model
    Treatment = Clinician._meta.get_field("treatments").related_model
    certifications = (
        BoardCertification.objects.filter(clinician=OuterRef("pk"))
        .order_by("name")
        .values(json=JSONObject(name="name", board="board"))
    )
    language = translated_pages.current_language()
    links = functools.partial(translated_lists.links_in, language=language)
    pages = translated_pages.with_translation(pages, language)
    clinician = (
        with_tags(pages.defer("bio", "search_vector", "names_vector"))
        .annotate(
            certification_list=ArraySubquery(certifications),
            condition_pages=ArraySubquery(
                links(Condition.objects.published().filter(clinicians=OuterRef("pk")))
            ),
            treatment_pages=ArraySubquery(
                links(Treatment.objects.published().filter(clinicians=OuterRef("pk")))
            ),
            location_pages=ArraySubquery(
                links(Location.objects.published().filter(clinicians=OuterRef("pk")))
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if clinician is None:
        return None
    translated_pages.apply_or_english(clinician, language)
    return clinician, seo.json_ld(person(clinician, request))
