from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = "Video library"

    def ready(self):
        from spinesite import i18n, pagekinds, translated_content, translated_pages

        from .content import VIDEOS
        from .forms import TranslationChecks
        from .models import Video, VideoTranslation

        pagekinds.register(
            Video,
            label=gettext_lazy("Video"),
            url_name="videos:detail",
            index_url_name="videos:index",
            summary="description_text",
            text="transcript_text",
            names="",
            html="transcript_html",
            content=VIDEOS,
            translation=VideoTranslation,
        )
        # content/es/videos/<slug>.md: title and description in the front matter, the
        # transcript as the body, and `captions:` a .vtt file beside it, if there is one.
        translated_content.add(
            translated_content.files_for(
                VideoTranslation, "videos", ["title", "description"], "transcript",
                files=("captions",), form=TranslationChecks,
            )
        )  # fmt: skip
        i18n.register(Video, translated_pages.languages_of)
