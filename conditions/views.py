import functools
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import render
from django.utils.http import http_date

from spinesite import fragments, translated_lists, translated_pages
from spinesite.indexes import (
    detached,
    from_row,
    kept_order,
    ordered_index_page,
    page_number,
    shown_as_asked,
)

from .models import Condition


def condition_index(request):
    """Published pages A to Z (in Spanish, the translated ones), filtered by region
    through the query string, a page of a few hundred at a time (spinesite.indexes).

    Only regions with pages are offered, and a "whole spine" page is listed under
    every region (see Condition.Region.shown_under). The order of all the pages, with
    the region of each (which regions to offer, which pages a filter lists), is read
    once per content version; each index page then reads its own rows.
    """
    # Keyed by what the page can show: a region it offers and a page number.
    region = request.GET.get("region", "")
    if region not in dict(Condition.Region.filter_choices()):
        region = ""
    number = page_number(request.GET.get("page"))
    # Read once per content version (spinesite.fragments), as the list is rendered.
    context = fragments.cached(
        request,
        "condition-index",
        (region, number),
        lambda: _index(request, region, number),
        keep=shown_as_asked(number),
    )
    return render(request, "conditions/index.html", context)


def _index(request, region, number):
    """The index's context for the `region` and page `number` asked for."""
    language = translated_pages.current_language()
    conditions = Condition.objects.published().only("title", "slug", "summary", "region")
    if translated_pages.is_default(language):
        conditions = conditions.order_by("title", "pk")
    else:  # only the translated pages, by their translated titles
        conditions = translated_lists.listed_queryset(conditions, language)
        conditions = conditions.order_by("t_sort", "pk")
    ids, regions_of = kept_order(request, "condition-index", conditions, "region")
    stored = set(regions_of)
    regions = [
        # Each label in the page's language now (kept per language; an unpickled lazy
        # string costs a class of its own).
        (value, str(label))
        for value, label in Condition.Region.filter_choices()
        if any(value in Condition.Region.shown_under(each) for each in stored)
    ]
    if region not in dict(regions):
        region = ""
    if region:
        shown = {each for each in stored if region in Condition.Region.shown_under(each)}
        ids = [pk for pk, each in zip(ids, regions_of, strict=True) if each in shown]
        conditions = conditions.filter(region__in=shown)
    read = None
    if translated_pages.is_default(language):

        def read(start, ids):  # a slice of the A to Z, from condition_a_to_z_idx
            return list(from_row(conditions, ids[0])[: len(ids)])

    page = ordered_index_page(ids, conditions, number, {"region": region}, read)
    page.object_list = translated_lists.in_place(page.object_list)
    letters = [
        (letter, list(group))
        for letter, group in groupby(page.object_list, key=lambda c: c.title[:1].upper())
    ]
    return {"letters": letters, "page": detached(page), "regions": regions, "region": region}


@functools.cache
def _detail_pages(language):
    """The pages a detail view shows in `language`, with what they link to.

    The related pages and the translation come in the same query as the page (array
    and JSON subqueries), so the page costs the same with one related page or fifty.
    Built once per process and language, never evaluated itself: each request filters
    a copy by what its visitor may see (the schedule is read at query time:
    spinesite.pages.live). Building it (resolving the subqueries) had cost as much CPU
    as running it.
    """
    links = functools.partial(translated_lists.links_in, language=language)
    related = links(Condition.objects.published().filter(condition=OuterRef("pk")))
    # The treatments used for it, through the reverse relation that the treatments
    # app adds (Treatment.conditions): conditions need not import treatments.
    Treatment = Condition._meta.get_field("treatments").related_model
    treatments = links(Treatment.objects.published().filter(conditions=OuterRef("pk")))
    Clinician = Condition._meta.get_field("clinicians").related_model  # the same way
    clinicians = links(Clinician.objects.published().filter(conditions=OuterRef("pk")))
    return (
        translated_pages.with_translation(Condition.objects.all(), language)
        .defer("body", "search_vector")
        .select_related("reviewed_by")
        .annotate(
            related_pages=ArraySubquery(related),
            treatment_pages=ArraySubquery(treatments),
            clinician_pages=ArraySubquery(clinicians),
        )
    )


def condition_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else."""
    language = translated_pages.current_language()
    # Read once per content version (spinesite.fragments), as the page's article is.
    condition = fragments.cached(
        request,
        "condition-page",
        (slug, Condition.objects.visibility_key(request)),
        lambda: (
            _detail_pages(language)
            .filter(Condition.objects.visibility(request), slug=slug)
            .first()
        ),
    )
    if condition is None:
        raise Http404
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(condition, language)
    response = render(
        request,
        "conditions/detail.html",
        {"condition": condition, "alternates": translated_pages.alternates(condition)},
    )
    response["Last-Modified"] = http_date(condition.updated.timestamp())
    return response
