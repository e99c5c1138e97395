"""The printed handout's QR code: made here, as inline SVG, so printing a page asks no
other site for anything (segno: a pure-Python, well-kept QR encoder)."""

import segno
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from spinesite import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def page_qr_code(context, path):
    """A QR code for the page at `path`, on the site's public address."""
    url = seo.absolute_url(path, context.get("request"))
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, title=None)
    # segno writes the SVG from its own modules; only the URL comes from outside and
    # it is encoded in the picture, not written into the markup.
    label = format_html('role="img" aria-label="QR code for {}" ', url)
    return mark_safe(svg.replace("<svg ", "<svg " + label, 1))  # noqa: S308
