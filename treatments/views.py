import functools
from itertools import groupby

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from conditions.models import Condition
from spinesite.indexes import grouped_index_page

from .models import Treatment


def treatment_index(request):
    """Published treatments grouped by kind, in the order of Treatment.Kind, a page of a
    few hundred at a time (spinesite.indexes): two queries."""
    treatments = Treatment.objects.published().only("title", "slug", "summary", "kind")
    page = grouped_index_page(treatments, "kind", Treatment.Kind.values, request.GET.get("page"))
    groups = [
        (value, Treatment.Kind(value).label, list(group))
        for value, group in groupby(page.object_list, key=lambda treatment: treatment.kind)
    ]
    return render(request, "treatments/index.html", {"groups": groups, "page": page})


@functools.cache
def _detail_pages():
    """The pages a detail view shows. The conditions and related treatments come in
    the same query as the page (array subqueries), so the page costs the same with one
    of them or fifty. Built once per process, never evaluated itself: each
    request filters a copy by what its visitor may see (see conditions.views)."""
    pages = Treatment.objects.all()
    conditions = Condition.objects.published().filter(treatments=OuterRef("pk")).links()
    related = Treatment.objects.published().filter(treatment=OuterRef("pk")).links()
    Clinician = Treatment._meta.get_field("clinicians").related_model  # clinicians imports us
    clinicians = Clinician.objects.published().filter(treatments=OuterRef("pk")).links()
    return (
        pages.defer("body", "search_vector", "names_vector")
        .select_related("reviewed_by")
        .annotate(
            condition_pages=ArraySubquery(conditions),
            related_pages=ArraySubquery(related),
            clinician_pages=ArraySubquery(clinicians),
        )
    )


def treatment_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else."""
    treatment = get_object_or_404(
        _detail_pages().filter(Treatment.objects.visibility(request)), slug=slug
    )
    response = render(request, "treatments/detail.html", {"treatment": treatment})
    response["Last-Modified"] = http_date(treatment.updated.timestamp())
    return response
