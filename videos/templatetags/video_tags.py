from django import template
from django.conf import settings
from django.utils import translation

from spinesite import seo

from ..durations import iso_duration, spoken_duration
from ..models import Video
from ..querysets import titled

register = template.Library()


@register.filter
def duration_text(duration):
    """'2 min 5 sec'."""
    return spoken_duration(duration) if duration is not None else ""


@register.filter
def duration_iso(duration):
    """'PT2M5S', for <time datetime> and schema.org."""
    return iso_duration(duration) if duration is not None else ""


@register.filter
def json_ld(data):
    """`data` as a schema.org JSON-LD block, escaped so no content can end it."""
    return seo.json_ld(data)


@register.inclusion_tag("videos/related_videos.html")
def related_videos(page, heading_id="related-videos-heading"):
    """The published videos about a condition or treatment, for its page (one query)."""
    relation = next(
        (f.name for f in Video._meta.many_to_many if isinstance(page, f.related_model)), None
    )
    if relation is None:  # a kind of page that videos do not link to
        return {"videos": [], "condition": None, "heading_id": heading_id}
    # Under /es/, each video's Spanish title where it has one, else its English (marked).
    videos = titled(
        Video.objects.published()
        .filter(**{relation: page})
        .with_topics()
        .only("title", "slug", "duration", "thumbnail", "thumbnail_width", "thumbnail_height")
        .in_language(translation.get_language() or settings.LANGUAGE_CODE)
    )
    # The library filters by condition: link there from condition pages.
    condition = page if relation == "conditions" else None
    return {"videos": videos, "condition": condition, "heading_id": heading_id}
