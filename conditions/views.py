import functools
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from spinesite import translated_pages

from .models import Condition


def condition_index(request):
    """Published pages A to Z, filtered by region through the query string.

    Only regions with pages are offered, and a "whole spine" page is listed under
    every region (see Condition.Region.shown_under). One query: the filter is
    applied to the list that says which regions have pages.
    """
    everything = translated_pages.listed(
        Condition.objects.published().only("title", "slug", "summary", "region"),
        translated_pages.current_language(),
    )
    regions = [
        (value, label)
        for value, label in Condition.Region.filter_choices()
        if any(value in Condition.Region.shown_under(c.region) for c in everything)
    ]
    region = request.GET.get("region", "")
    if region not in dict(regions):
        region = ""
    conditions = [
        c for c in everything if not region or region in Condition.Region.shown_under(c.region)
    ]
    letters = [
        (letter, list(group))
        for letter, group in groupby(conditions, key=lambda c: c.title[:1].upper())
    ]
    return render(
        request,
        "conditions/index.html",
        {"letters": letters, "regions": regions, "region": region},
    )


def condition_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else.

    The related pages come in the same query as the page (an array subquery), so the
    page costs the same with one related page or fifty.
    """
    pages = Condition.objects.visible_to(request)
    language = translated_pages.current_language()
    links = functools.partial(translated_pages.links_in, language=language)
    related = links(Condition.objects.published().filter(condition=OuterRef("pk")))
    # The treatments used for it, through the reverse relation that the treatments
    # app adds (Treatment.conditions): conditions need not import treatments.
    Treatment = Condition._meta.get_field("treatments").related_model
    treatments = links(Treatment.objects.published().filter(conditions=OuterRef("pk")))
    Clinician = Condition._meta.get_field("clinicians").related_model  # the same way
    clinicians = Clinician.objects.published().filter(conditions=OuterRef("pk")).links()
    condition = get_object_or_404(
        translated_pages.with_translation(pages, language)
        .defer("body", "search_vector")
        .select_related("reviewed_by")
        .annotate(
            related_pages=ArraySubquery(related),
            treatment_pages=ArraySubquery(treatments),
            clinician_pages=ArraySubquery(clinicians),
        ),
        slug=slug,
    )
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(condition, language)
    response = render(
        request,
        "conditions/detail.html",
        {"condition": condition, "alternates": translated_pages.alternates(condition)},
    )
    response["Last-Modified"] = http_date(condition.updated.timestamp())
    return response
