import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from . import fragments, pagekinds, searchlog, searchresults, searchtext, theme, translated_search
from . import search as site_search
from .contentsnapshot import clinic_details
from .images import ImageUploadForm
from .markdown import check_limits, render_markdown
from .seo import absolute_url
from .storage import STORAGE_FAILED

logger = logging.getLogger(__name__)


def home(request):
    # Under /es/, the featured pages that are in Spanish, in Spanish.
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Read once per content version (spinesite.fragments), as the page is rendered.
    featured = fragments.cached(
        request, "featured", (), lambda: list(pagekinds.featured(language))
    )
    return render(request, "home.html", {"featured": featured})


def search(request):
    """Site search. Every query gets a helpful page: empty, odd or hostile ones included."""
    query, shortened = searchtext.clean_query(request.GET.get("q", ""))
    try:
        page = int(request.GET.get("page", ""))
    except ValueError:
        page = 1
    results = None
    if searchtext.has_words(query):
        # Read once per content version, language, words and page (a search is one
        # query, most of it cutting snippets from the pages' text); what found nothing,
        # on any page, is not kept, so made-up words take no room and every one is logged.
        results = fragments.cached(
            request,
            "search",
            (query, searchresults.page_within(page)),
            lambda: _search(query, page),
            keep=lambda results: bool(results.hits or results.corrected),
            cache="searches",
        )
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


def _search(query, page):
    """The results in the active language: under /es/, the Spanish pages in Spanish
    (spinesite.translated_search)."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    if translated_search.is_default(code) or code not in translated_search.LANGUAGES:
        return site_search.search(query, page)
    return site_search.search(
        query,
        page,
        searchables=translated_search.searchables(code),
        language=translated_search.language_for(code),
    )


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
    content = request.POST.get("content", "")
    try:
        check_limits(content)
    except ValueError as error:
        # Shown in the preview pane instead of the page.
        return HttpResponse(format_html("<p><strong>{}</strong></p>", error), status=400)
    return HttpResponse(render_markdown(content))


# Uploaded images are public files: only those who edit pages may add them.
IMAGE_UPLOAD_PERMISSIONS = ("conditions.change_condition", "videos.change_video")


@require_POST
@staff_only
def image_upload(request):
    if not any(request.user.has_perm(perm) for perm in IMAGE_UPLOAD_PERMISSIONS):
        raise PermissionDenied
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["image"])}, status=400)
    try:
        url = form.save()
    except OSError as error:  # a full disk: the storage left no partial file
        logger.error("An image upload could not be stored: %s", error.strerror or error)
        return JsonResponse({"error": STORAGE_FAILED}, status=507)
    return JsonResponse({"image_code": f"![Describe the image]({url})"})


YEAR = 365 * 24 * 3600


@require_GET
def theme_css(request, key):
    """The clinic's palette as CSS variables (spinesite.theme), kept for a year: its
    URL changes with the colour, so a new colour is a new file."""
    clinic = clinic_details(request)
    if key != theme.theme_key(clinic.brand_colour):
        raise Http404("That colour is no longer the clinic's.")
    response = HttpResponse(theme.theme_css(clinic.brand_colour), content_type="text/css")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@require_GET
def favicon_ico(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's),
    made from the clinic's logo, or from the site's own icon until there is one."""
    clinic = clinic_details(request)
    if clinic.favicon:
        with clinic.favicon.open("rb") as png:
            icon = theme.ico_from(png.read())
    else:
        icon = _default_ico()
    response = HttpResponse(icon, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _default_ico(cache={}):  # noqa: B006 - made once per process
    if "ico" not in cache:
        with open(finders.find("favicon.svg"), "rb") as svg:
            cache["ico"] = theme.ico_from(svg.read(), svg=True)
    return cache["ico"]
