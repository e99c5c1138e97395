import functools
from collections import Counter
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, OuterRef, When
from django.http import Http404
from django.shortcuts import render
from django.utils.http import http_date

from conditions.models import Condition
from spinesite import fragments, translated_lists, translated_pages
from spinesite.indexes import (
    detached,
    kept_order,
    ordered_index_page,
    page_number,
    shown_as_asked,
    sliced_by_group,
)

from .models import Treatment


def treatment_index(request):
    """Published treatments (in Spanish, the translated ones) grouped by kind, in the
    order of Treatment.Kind, a page of a few hundred at a time (spinesite.indexes).
    The order of all of them is read once per content version; a page, its rows."""
    number = page_number(request.GET.get("page"))
    # Read once per content version (spinesite.fragments), as the list is rendered.
    context = fragments.cached(
        request,
        "treatment-index",
        (number,),
        lambda: _index(request, number),
        keep=shown_as_asked(number),
    )
    return render(request, "treatments/index.html", context)


def _index(request, number):
    """The index's context for page `number`."""
    language = translated_pages.current_language()
    treatments = Treatment.objects.published().only("title", "slug", "summary", "kind")
    by = "title"
    if not translated_pages.is_default(language):  # by the translated titles
        treatments = translated_lists.listed_queryset(treatments, language)
        by = "t_sort"
    kinds = Case(*(When(kind=kind, then=n) for n, kind in enumerate(Treatment.Kind.values)))
    # Only the kinds there are now: a row of a kind since removed is not listed.
    ordered = treatments.filter(kind__in=Treatment.Kind.values).order_by(kinds, by, "pk")
    ids, kind_of = kept_order(request, "treatment-index", ordered, "kind")
    read = None
    if translated_pages.is_default(language):  # slices of each kind, from its covering index
        counted = Counter(kind_of)
        kinds_counted = [(kind, counted[kind]) for kind in Treatment.Kind.values if counted[kind]]
        read = functools.partial(sliced_by_group, treatments, "kind", kinds_counted)
    page = ordered_index_page(ids, treatments, number, read=read)
    page.object_list = translated_lists.in_place(page.object_list)
    groups = [
        # The label in the page's language now, not lazily: kept per language, and
        # a lazy string costs a class of its own each time it is unpickled.
        (value, str(Treatment.Kind(value).label), list(group))
        for value, group in groupby(page.object_list, key=lambda treatment: treatment.kind)
    ]
    return {"groups": groups, "page": detached(page)}


@functools.cache
def _detail_pages(language):
    """The pages a detail view shows in `language`. The conditions, related treatments
    and the translation come in the same query as the page (subqueries), so the page
    costs the same with one of them or fifty. Built once per process and language,
    never evaluated itself: each request filters a copy by what its visitor may see
    (see conditions.views)."""
    links = functools.partial(translated_lists.links_in, language=language)
    conditions = links(Condition.objects.published().filter(treatments=OuterRef("pk")))
    related = links(Treatment.objects.published().filter(treatment=OuterRef("pk")))
    Clinician = Treatment._meta.get_field("clinicians").related_model  # clinicians imports us
    clinicians = links(Clinician.objects.published().filter(treatments=OuterRef("pk")))
    return (
        translated_pages.with_translation(Treatment.objects.all(), language)
        .defer("body", "search_vector", "names_vector")
        .select_related("reviewed_by")
        .annotate(
            condition_pages=ArraySubquery(conditions),
            related_pages=ArraySubquery(related),
            clinician_pages=ArraySubquery(clinicians),
        )
    )


def treatment_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else."""
    language = translated_pages.current_language()
    # Read once per content version (spinesite.fragments), as the page's article is.
    treatment = fragments.cached(
        request,
        "treatment-page",
        (slug, Treatment.objects.visibility_key(request)),
        lambda: (
            _detail_pages(language)
            .filter(Treatment.objects.visibility(request), slug=slug)
            .first()
        ),
    )
    if treatment is None:
        raise Http404
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(treatment, language)
    response = render(
        request,
        "treatments/detail.html",
        {"treatment": treatment, "alternates": translated_pages.alternates(treatment)},
    )
    response["Last-Modified"] = http_date(treatment.updated.timestamp())
    return response
