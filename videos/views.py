from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from spinesite import seo, translated_pages

from .library import build_library
from .models import Video, titled


def video_index(request):
    """The library: cards, filters by topic and condition, pages; all by query string.

    A filter naming a topic or condition that has no videos answers 404 with the
    library page and a note, so a bad link still leads somewhere useful.
    """
    # Under /es/, a video with a Spanish translation shows its Spanish title.
    language = translated_pages.current_language()
    library = build_library(
        Video.objects.published(),
        request.GET,
        cards=lambda videos: videos.cards().in_language(language),
    )
    titled(library.page.object_list)
    status = 404 if library.unknown else 200
    return render(request, "videos/index.html", {"library": library}, status=status)


def video_detail(request, slug):
    """A published video, or a draft for staff to preview; 404 for anyone else."""
    videos = Video.objects.visible_to(request)
    language = translated_pages.current_language()
    videos = translated_pages.with_translation(videos, language)
    video = get_object_or_404(
        videos.with_topics().with_conditions().with_treatments().select_related("reviewed_by"),
        slug=slug,
    )
    # Not translated yet: the English text, saying so in the page's language.
    translated_pages.apply_or_english(video, language)
    structured_data = video.structured_data(lambda path: seo.absolute_url(path, request))
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
