import functools

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from conditions.models import Condition
from spinesite import translated_pages

from .models import Treatment


def treatment_index(request):
    """Published treatments grouped by kind, in the order of Treatment.Kind: one query."""
    treatments = translated_pages.listed(
        Treatment.objects.published().only("title", "slug", "summary", "kind"),
        translated_pages.current_language(),
    )
    by_kind = {value: [] for value in Treatment.Kind.values}
    for treatment in treatments:
        by_kind.setdefault(treatment.kind, []).append(treatment)
    groups = [
        (value, Treatment.Kind(value).label, by_kind[value])
        for value in Treatment.Kind.values
        if by_kind[value]
    ]
    return render(request, "treatments/index.html", {"groups": groups})


def treatment_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else.

    The conditions and related treatments come in the same query as the page (array
    subqueries), so the page costs the same with one of them or fifty.
    """
    pages = Treatment.objects.visible_to(request)
    language = translated_pages.current_language()
    links = functools.partial(translated_pages.links_in, language=language)
    conditions = links(Condition.objects.published().filter(treatments=OuterRef("pk")))
    related = links(Treatment.objects.published().filter(treatment=OuterRef("pk")))
    Clinician = Treatment._meta.get_field("clinicians").related_model  # clinicians imports us
    clinicians = Clinician.objects.published().filter(treatments=OuterRef("pk")).links()
    treatment = get_object_or_404(
        translated_pages.with_translation(pages, language)
        .defer("body", "search_vector", "names_vector")
        .select_related("reviewed_by")
        .annotate(
            condition_pages=ArraySubquery(conditions),
            related_pages=ArraySubquery(related),
            clinician_pages=ArraySubquery(clinicians),
        ),
        slug=slug,
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
