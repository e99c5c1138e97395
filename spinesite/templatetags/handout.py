"""The printed handout's QR code: made here, as inline SVG, so printing a page asks no
other site for anything (segno: a pure-Python, well-kept QR encoder)."""

import functools

import segno
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from spinesite import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def page_qr_code(context, path):
    """A QR code for the page at `path`, on the site's public address."""
    return qr_code_svg(seo.absolute_url(path, context.get("request")))


# Encoding took half of a condition page's rendering time when the page cache is
# missed (about 20 ms of pure Python); a URL's code never changes, so each process
# makes it once. 1,000 codes of a few KB each bound the memory this keeps.
@functools.lru_cache(maxsize=1000)
def qr_code_svg(url):
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, title=None)
    # segno writes the SVG from its own modules; only the URL comes from outside and
    # it is encoded in the picture, not written into the markup.
    label = format_html('role="img" aria-label="QR code for {}" ', url)
    return mark_safe(svg.replace("<svg ", "<svg " + label, 1))  # noqa: S308
