import functools
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from conditions.models import Condition
from spinesite import translated_pages
from spinesite.indexes import grouped_index_page

from .models import Treatment


def treatment_index(request):
    """Published treatments (in Spanish, the translated ones) grouped by kind, in the
    order of Treatment.Kind, a page of a few hundred at a time (spinesite.indexes):
    two queries."""
    language = translated_pages.current_language()
    treatments = Treatment.objects.published().only("title", "slug", "summary", "kind")
    number = request.GET.get("page")
    if translated_pages.is_default(language):
        page = grouped_index_page(treatments, "kind", Treatment.Kind.values, number)
    else:  # by kind, then by the translated titles, in SQL; the text put in place
        treatments = translated_pages.listed_queryset(treatments, language)
        page = grouped_index_page(treatments, "kind", Treatment.Kind.values, number, by="t_sort")
        page.object_list = translated_pages.in_place(page.object_list)
    groups = [
        (value, Treatment.Kind(value).label, list(group))
        for value, group in groupby(page.object_list, key=lambda treatment: treatment.kind)
    ]
    return render(request, "treatments/index.html", {"groups": groups, "page": page})


@functools.cache
def _detail_pages(language):
    """The pages a detail view shows in `language`. The conditions, related treatments
    and the translation come in the same query as the page (subqueries), so the page
    costs the same with one of them or fifty. Built once per process and language,
    never evaluated itself: each request filters a copy by what its visitor may see
    (see conditions.views)."""
    links = functools.partial(translated_pages.links_in, language=language)
    conditions = links(Condition.objects.published().filter(treatments=OuterRef("pk")))
    related = links(Treatment.objects.published().filter(treatment=OuterRef("pk")))
    Clinician = Treatment._meta.get_field("clinicians").related_model  # clinicians imports us
    clinicians = Clinician.objects.published().filter(treatments=OuterRef("pk")).links()
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
    treatment = get_object_or_404(
        _detail_pages(language).filter(Treatment.objects.visibility(request)), slug=slug
    )
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(treatment, language)
    response = render(
        request,
        "treatments/detail.html",
        {"treatment": treatment, "alternates": translated_pages.alternates(treatment)},
    )
    response["Last-Modified"] = http_date(treatment.updated.timestamp())
    return response
