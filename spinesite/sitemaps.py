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

from . import i18n, pagekinds, translated_lists, translated_pages
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
    """Every published page of one registered kind (spinesite.pagekinds)."""

    def __init__(self, model):
        self.model = model

    def items(self):
        published = self.model.objects.published().only("slug", "updated").order_by("title")
        if translation_of(self.model) is None:
            return published
        # Each page's languages in the same query, not one query per page.
        return translated_pages.with_translation(published, settings.LANGUAGE_CODE)

    def _items(self):
        """(page, language) pairs as Sitemap pages them, but counted and sliced in
        SQL: Django's own makes the whole list of every page in every language in
        Python, for every file and for the index."""
        published = self.model.objects.published().only("slug", "updated").order_by("title", "pk")
        parts = []
        for language in self._languages():
            if translated_pages.is_default(language):
                part = published
            elif translation_of(self.model) is None:
                continue
            else:
                part = translated_lists.translated_only(published, language)
            if translation_of(self.model) is not None:  # each page's languages, same query
                part = translated_pages.with_translation(part, settings.LANGUAGE_CODE)
            parts.append((part, language))
        return PagedPairs(parts)

    def lastmod(self, page):
        return page.updated

    def get_latest_lastmod(self):
        """One aggregate, not a walk through every page as Sitemap's own does."""
        return self.model.objects.published().aggregate(newest=Max("updated"))["newest"]

    def get_languages_for_item(self, page):
        # Only the languages the page is translated into (spinesite.i18n.register).
        return i18n.page_languages(page)


class PagedPairs:
    """(page, language) for each of `parts`, (queryset, language), one after the
    other, as Paginator reads them: a count per part, then only the slices a file
    needs, so a file of the sitemap costs a few queries of at most its own rows."""

    def __init__(self, parts):
        self.parts = parts

    @cached_property
    def counts(self):
        return [queryset.count() for queryset, _ in self.parts]

    def count(self):
        return sum(self.counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, self.count() if key.stop is None else key.stop
        found, offset = [], 0
        for (queryset, language), count in zip(self.parts, self.counts, strict=True):
            first, last = max(start - offset, 0), min(stop - offset, count)
            if first < last:
                found += [(page, language) for page in queryset[first:last]]
            offset += count
        return found


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
        return ["home", *(kind.index_url_name for kind in pagekinds.kinds()), *_lists]

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
            for model in [*(kind.model for kind in pagekinds.kinds()), *_lists.values()]
        ]
        return max((date for date in dates if date is not None), default=None)


def sitemaps():
    """The sitemap's sections: the site's own pages, then one per kind of page."""
    return {
        "pages": StaticSitemap,
        **{kind.section: ContentSitemap(kind.model) for kind in pagekinds.kinds()},
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
    """One section's file, with the kinds registered now (see spinesite.pagekinds)."""
    return views.sitemap(request, sitemaps=sitemaps(), section=section)
