from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = "Video library"

    def ready(self):
        from spinesite import pages

        from .content import VIDEOS
        from .models import Video

        pages.register(
            Video,
            label=gettext_lazy("Video"),
            url_name="videos:detail",
            index_url_name="videos:index",
            summary="description_text",
            text="transcript_text",
            names="",
            html="transcript_html",
            content=VIDEOS,
        )
