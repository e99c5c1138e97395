from django.http import Http404
from django.shortcuts import render
from django.utils.http import http_date

from spinesite import fragments, seo, translated_pages

from .library import build_library
from .models import Video, titled


def video_index(request):
    """The library: cards, filters by topic and condition, pages; all by query string.

    A filter naming a topic or condition that has no videos answers 404 with the
    library page and a note, so a bad link still leads somewhere useful.
    """
    # Under /es/, a video with a Spanish translation shows its Spanish title.
    language = translated_pages.current_language()
    # Read once per content version (spinesite.fragments); filtered here per request.
    # One entry holds every published card: a library too large for the fragment
    # cache's bound (tens of thousands of videos) is simply not kept (BoundedMemoryCache
    # keeps no value larger than its bound, and evicts nothing for it), so it is read
    # per request, as before the cache, and the page is the same.
    cards = fragments.cached(
        request,
        "video-cards",
        (),
        lambda: list(titled(Video.objects.published().cards().in_language(language))),
    )
    library = build_library(cards, request.GET)
    status = 404 if library.unknown else 200
    return render(request, "videos/index.html", {"library": library}, status=status)


def video_detail(request, slug):
    """A published video, or a draft for staff to preview; 404 for anyone else."""
    # Read and made ready once per content version (spinesite.fragments).
    found = fragments.cached(
        request,
        "video-page",
        (slug, Video.objects.visibility_key(request)),
        lambda: _video_page(request, slug),
    )
    if found is None:
        raise Http404
    video, structured_data = found
    response = render(
        request,
        "videos/detail.html",
        {
            "video": video,
            "structured_data": structured_data,
            "alternates": translated_pages.alternates(video),
        },
    )
    response["Last-Modified"] = http_date(video.updated.timestamp())
    return response


def _video_page(request, slug):
    """The video at `slug` that the request may see, in the page's language, and its
    structured data; None if there is none."""
    videos = Video.objects.visible_to(request)
    language = translated_pages.current_language()
    videos = translated_pages.with_translation(videos, language)
    video = (
        videos.with_topics()
        .with_conditions()
        .with_treatments()
        .select_related("reviewed_by")
        .filter(slug=slug)
        .first()
    )
    if video is None:
        return None
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(video, language)
    return video, video.structured_data(lambda path: seo.absolute_url(path, request))
