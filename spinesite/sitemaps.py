"""The sitemap: every published page, with the date it last changed.

/sitemap.xml is a sitemap index: one file per section (the site's own pages, then
each kind of page), each split into files of at most `Sitemap.limit` (50,000) URLs,
the most a sitemap file may hold. So it stays valid however many pages there are.
"""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from . import i18n, pages, translated_pages
from .seo import absolute_url
from .translations import translation_of


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL when it is set, else on the request's host; each
    page once per language it exists in, with its alternates (xhtml:link hreflang,
    and x-default: the English page)."""

    i18n = True
    alternates = True
    x_default = True

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)


class ContentSitemap(SiteSitemap):
    """Every published page of one registered kind (spinesite.pages)."""

    def __init__(self, model):
        self.model = model

    def items(self):
        published = self.model.objects.published().only("slug", "updated").order_by("title")
        if translation_of(self.model) is None:
            return published
        # Each page's languages in the same query, not one query per page.
        return translated_pages.with_translation(published, settings.LANGUAGE_CODE)

    def lastmod(self, page):
        return page.updated

    def get_latest_lastmod(self):
        """One aggregate, not a walk through every page as Sitemap's own does."""
        return self.model.objects.published().aggregate(newest=Max("updated"))["newest"]

    def get_languages_for_item(self, page):
        # Only the languages the page is translated into (spinesite.i18n.register).
        return i18n.page_languages(page)


def template_changed(name):
    """When a page made only of its template last changed: the template file's date."""
    path = Path(get_template(name).origin.name)
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


_lists = {}


def add_list(url_name, model):
    """Also map `url_name`, a page listing the published rows of `model` that are no
    kind of page (the glossary's terms): it changes when they do. Call from ready()."""
    _lists[url_name] = model


class StaticSitemap(SiteSitemap):
    """Pages that are not content objects, by URL name."""

    # Made of their template and the clinic's details only (the new patients page's
    # text is edited in admin: its template's date is the best a sitemap can say
    # without naming that app's model here).
    templates = {
        "contact:form": "contact/form.html",
        "privacy": "contact/privacy.html",
        "newpatients": "locations/new_patients.html",
        "language_help": "contact/language_help.html",
    }

    @cached_property
    def content_lists(self):
        """Pages that list or feature published pages, so they change when those do."""
        return ["home", *(kind.index_url_name for kind in pages.kinds()), *_lists]

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
            for model in [*(kind.model for kind in pages.kinds()), *_lists.values()]
        ]
        return max((date for date in dates if date is not None), default=None)


def sitemaps():
    """The sitemap's sections: the site's own pages, then one per kind of page."""
    return {
        "pages": StaticSitemap,
        **{kind.section: ContentSitemap(kind.model) for kind in pages.kinds()},
    }


def sitemap_index(request):
    """sitemap.xml: every file of every section, on the site's public address."""
    files = []
    for section, site in sitemaps().items():
        site = site() if callable(site) else site
        location = absolute_url(reverse("sitemap-section", args=[section]), request)
        newest = site.get_latest_lastmod()
        files += [
            SitemapIndexItem(location + (f"?p={page}" if page > 1 else ""), newest)
            for page in site.paginator.page_range
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": files}, content_type="application/xml"
    )


def sitemap(request, section):
    """One section's file, with the kinds registered now (see spinesite.pages)."""
    return views.sitemap(request, sitemaps=sitemaps(), section=section)
