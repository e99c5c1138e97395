from dataclasses import replace

from django.http import Http404
from django.shortcuts import render
from django.utils.http import http_date

from spinesite import fragments, seo, translated_pages
from spinesite.indexes import detached, page_number

from .library import FILTERS, build_library, choices
from .models import Video
from .querysets import titled


def video_index(request):
    """The library: cards, filters by topic and condition, pages; all by query string.

    A filter naming a topic or condition that has no videos answers 404 with the
    library page and a note, so a bad link still leads somewhere useful.
    """
    # Read once per content version and language (spinesite.fragments), keyed by the
    # filters and page asked for; a made-up filter (a 404) or a page past the last
    # is worked out each time rather than kept.
    topic, condition = (str(request.GET.get(name, "")).strip()[:200] for name in FILTERS)
    number = page_number(request.GET.get("page"))
    library = fragments.cached(
        request,
        "video-library",
        (topic, condition, number),
        lambda: _library(request, dict(zip(FILTERS, (topic, condition), strict=True))),
        keep=lambda kept: not kept.unknown and kept.page.number == number,
    )
    status = 404 if library.unknown else 200
    return render(request, "videos/index.html", {"library": library}, status=status)


def _library(request, asked):
    """The library page for the request's query (`asked`: the filters' values), ready
    to keep: under /es/, a video with a Spanish translation shows its Spanish title.
    The filters' choices are the same on every page of it: read once per content
    version."""
    language = translated_pages.current_language()
    videos = Video.objects.published()
    read = []

    def offered():  # with what was asked for, in the same query; kept without it
        read.append(choices(videos, language, asked))
        return replace(read[0], asked={})

    kept = fragments.cached(request, "video-choices", (), offered)
    library = build_library(
        videos,
        request.GET,
        cards=lambda videos: videos.cards(language).in_language(language),
        language=language,
        offered=read[0] if read else kept,
    )
    titled(library.page.object_list)
    detached(library.page)
    return library


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
        .with_conditions(language)
        .with_treatments(language)
        .select_related("reviewed_by")
        .filter(slug=slug)
        .first()
    )
    if video is None:
        return None
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(video, language)
    return video, video.structured_data(lambda path: seo.absolute_url(path, request))
