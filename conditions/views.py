from itertools import groupby

from django.shortcuts import get_object_or_404, render

from .models import Condition


def condition_index(request):
    conditions = Condition.objects.published().only("title", "slug", "summary", "region")
    region = request.GET.get("region", "")
    if region in Condition.Region.values:
        conditions = conditions.filter(region=region)
    else:
        region = ""
    letters = [
        (letter, list(group))
        for letter, group in groupby(conditions, key=lambda c: c.title[:1].upper())
    ]
    return render(
        request,
        "conditions/index.html",
        {"letters": letters, "regions": Condition.Region.choices, "region": region},
    )


def condition_detail(request, slug):
    """A published page, or a draft for staff to preview; 404 for anyone else."""
    pages = Condition.objects.all() if request.user.is_staff else Condition.objects.published()
    condition = get_object_or_404(pages, slug=slug)
    related = condition.related.published().only("title", "slug", "summary")
    return render(request, "conditions/detail.html", {"condition": condition, "related": related})
