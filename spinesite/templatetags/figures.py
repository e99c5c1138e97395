"""Template helpers for the spine figures (spinesite.figures)."""

import re

from django import template
from django.conf import settings

from ..figures import FIGURES

register = template.Library()

FIGURE_SRC = re.compile(r'<img src="([^"]*/figures/([a-z-]+)\.svg)"')


@register.filter
def first_figure(body_html):
    """The first spine figure a page's body shows, as a card's picture, or None."""
    match = FIGURE_SRC.search(body_html or "")
    if not match or match.group(2) not in FIGURES:
        return None
    width, height = FIGURES[match.group(2)].size
    return {
        "src": f"{settings.STATIC_URL}figures/{match.group(2)}.svg",
        "width": width,
        "height": height,
    }
