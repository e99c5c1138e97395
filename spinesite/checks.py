"""System checks for settings the site cannot run safely without."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def site_url(app_configs, **kwargs):
    """Production must say where it lives: SITE_URL goes into canonical links, Open
    Graph, JSON-LD, sitemap.xml, robots.txt and staff emails. Taken from a request's
    Host header instead, one request with a forged host would poison the cached pages
    for every visitor."""
    if settings.DEBUG:
        return []
    if not settings.SITE_URL.startswith(("https://", "http://")):
        return [
            Error(
                "SITE_URL must be set when DEBUG is off.",
                hint="The site's public address, e.g. https://www.example-clinic.org",
                id="spinesite.E001",
            )
        ]
    return []
