"""How videos are read: the cards of the library and of related videos, in one query
each, and titled() to show a language's titles on them.

models.py imports this module, so the queryset reaches Topic and VideoTranslation
through its model's relations instead of importing them.
"""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject

from spinesite.pages import PageQuerySet
from spinesite.translated_lists import title_in


class VideoQuerySet(PageQuerySet):
    def with_topics(self):
        """Each video's topics as `topic_list` ([{name, slug}]), in the same query.

        A subquery instead of prefetch_related: a page of cards costs one query, not
        one per card or one extra per relation.
        """
        topic_model = self.model._meta.get_field("topics").related_model
        topics = topic_model.objects.filter(videos=OuterRef("pk")).order_by("name")
        return self.annotate(
            topic_list=ArraySubquery(topics.values(json=JSONObject(name="name", slug="slug")))
        )

    def with_conditions(self, language=settings.LANGUAGE_CODE):
        """Each video's published conditions as `condition_list` ([{title, slug, lang}]),
        titled in `language` where translated (spinesite.translated_lists.title_in)."""
        return self._with_pages("conditions", "condition_list", language)

    def with_treatments(self, language=settings.LANGUAGE_CODE):
        """Each video's published treatments as `treatment_list`, as with_conditions()."""
        return self._with_pages("treatments", "treatment_list", language)

    def _with_pages(self, relation, name, language):
        model = self.model._meta.get_field(relation).related_model
        pages = (
            model.objects.published()
            .filter(videos=OuterRef("pk"))
            .annotate(**title_in(model, language))
            .order_by("t_title")
        )
        shown = JSONObject(title="t_title", slug="slug", lang="t_lang")
        return self.annotate(**{name: ArraySubquery(pages.values(json=shown))})

    def cards(self, language=settings.LANGUAGE_CODE):
        """What a video card shows, and what the library's filters need, in one query."""
        return (
            self.with_topics()
            .with_conditions(language)
            .only("title", "slug", "duration", "thumbnail", "thumbnail_width", "thumbnail_height")
        )

    def in_language(self, language):
        """Cards in `language`: each video's published translated title as `t_title`
        (None where there is none), in the same query; `titled()` puts it in place."""
        if language == settings.LANGUAGE_CODE:
            return self
        translation_model = self.model._meta.get_field("translations").related_model
        mine = translation_model.objects.published(language).filter(page=OuterRef("pk"))
        return self.annotate(t_title=Subquery(mine.values("title")[:1]))


def titled(videos):
    """`videos` as a list, the translated title (from `in_language()`) shown where there
    is one; where the English shows under another language, `title_lang` is "en"."""
    videos = list(videos)
    for video in videos:
        translated = getattr(video, "t_title", False)
        video.title_lang = settings.LANGUAGE_CODE if translated is None else ""
        video.title = translated or video.title
    return videos
