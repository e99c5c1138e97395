"""sitemap.xml: every published page, with the date it last changed."""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.template.loader import get_template
from django.urls import reverse
from django.utils.functional import cached_property

from conditions.models import Condition
from glossary.models import Term
from videos.models import Video


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL when it is set, else on the request's host."""

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)


class ContentSitemap(SiteSitemap):
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "updated").order_by("title")

    def lastmod(self, page):
        return page.updated


class ConditionSitemap(ContentSitemap):
    model = Condition


class VideoSitemap(ContentSitemap):
    model = Video


def template_changed(name):
    """When a page made only of its template last changed: the template file's date."""
    path = Path(get_template(name).origin.name)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


class StaticSitemap(SiteSitemap):
    """Pages that are not content objects, by URL name."""

    # They list or feature published pages, so they change when those do.
    content_lists = ["home", "conditions:index", "videos:index", "glossary:index"]
    # Made of their template and the clinic's details only.
    templates = {"contact:form": "contact/form.html", "privacy": "contact/privacy.html"}

    def items(self):
        return [*self.content_lists, *self.templates]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if name in self.templates:
            return template_changed(self.templates[name])
        return self.newest_content

    @cached_property
    def newest_content(self):
        dates = [
            model.objects.published().aggregate(newest=Max("updated"))["newest"]
            for model in (Condition, Video, Term)
        ]
        return max((date for date in dates if date is not None), default=None)


SITEMAPS = {"pages": StaticSitemap, "conditions": ConditionSitemap, "videos": VideoSitemap}
