from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import health, media, review, views
from .sitemaps import sitemap, sitemap_index

# Pages for patients, in every language of LANGUAGES: English at today's addresses
# (no prefix), Spanish under /es/ with the same slugs (spinesite.i18n). An unknown
# prefix such as /xx/ matches nothing: a 404. The language comes from the address
# alone; a browser's Accept-Language only suggests the other language (a link), it
# never redirects.
patient_pages = [
    path("", views.home, name="home"),
    path("conditions/", include("conditions.urls")),
    path("treatments/", include("treatments.urls")),
    path("videos/", include("videos.urls")),
    path("clinicians/", include("clinicians.urls")),
    path("locations/", include("locations.urls")),
    path("new-patients/", include("locations.newpatients_urls")),
    path("glossary/", include("glossary.urls")),
    path("contact/", include("contact.urls")),
    path("privacy/", include("contact.privacy_urls")),
    path("search/", views.search, name="search"),
    path("feedback/", include("feedback.urls")),
    path("language-help/", include("contact.language_help_urls")),
]

urlpatterns = [
    # Staff previews of unpublished versions (spinesite.review): not translated.
    path("preview/<str:token>/", review.preview, name="page_preview"),
    *i18n_patterns(*patient_pages, prefix_default_language=False),
    # Not translated: machines' files, uploads, the admin and staff logins.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon_ico, name="favicon_ico"),
    path("theme/<str:key>.css", views.theme_css, name="theme_css"),
    # django-markdownx's own views answer anyone; these answer staff only.
    path("markdownx/markdownify/", views.markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", views.image_upload, name="markdownx_upload"),
    path(settings.ADMIN_URL, admin.site.urls),  # ADMIN_URL, admin/ unless set
    # Staff login, second factor and its set-up (django-allauth; sign-up is closed).
    path(settings.ACCOUNTS_URL, include("allauth.urls")),
    path("healthz", health.healthz, name="healthz"),
    # Uploads, with a safe Content-Type (spinesite.media). Small enough to serve from
    # Django; several app servers keep them in object storage (docs/deploy.md).
    re_path(r"^media/(?P<path>.+)$", media.serve_media, name="media"),
]

handler400 = "spinesite.errors.bad_request"
handler404 = "spinesite.errors.page_not_found"
