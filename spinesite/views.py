from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from conditions.models import Condition

from . import search as site_search
from . import searchlog
from .images import ImageUploadForm
from .markdown import render_markdown
from .seo import absolute_url


def home(request):
    featured = Condition.objects.published().filter(featured=True)
    return render(request, "home.html", {"featured": featured})


def search(request):
    """Site search. Every query gets a helpful page: empty, odd or hostile ones included."""
    query, shortened = site_search.clean_query(request.GET.get("q", ""))
    try:
        page = int(request.GET.get("page", ""))
    except ValueError:
        page = 1
    results = site_search.search(query, page) if site_search.has_words(query) else None
    pages = {}
    if results is not None:
        if results.page > 1:
            pages["previous"] = "?" + urlencode({"q": query, "page": results.page - 1})
        if results.has_next:
            pages["next"] = "?" + urlencode({"q": query, "page": results.page + 1})
    logged = results is not None and results.found_nothing and searchlog.record(query)
    context = {"query": query, "shortened": shortened, "results": results, "pages": pages}
    response = render(request, "search.html", context)
    if logged:
        # Not kept by the page cache (nor by browsers and proxies), so that every
        # search that found nothing is counted.
        add_never_cache_headers(response)
    return response


@require_GET
def robots_txt(request):
    """Crawl everything public; list the sitemap.

    A custom ADMIN_URL is left out on purpose: naming it here would publish the
    address it hides. Search results are left out as Google advises for them.
    """
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('search')}",
        f"Disallow: {reverse('feedback:answer')}",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def staff_only(view):
    """403 for anyone but active staff: the editor's endpoints are not public services."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdown_preview(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@require_POST
@staff_only
def image_upload(request):
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
    return JsonResponse({"image_code": f"![Describe the image]({form.save()})"})
