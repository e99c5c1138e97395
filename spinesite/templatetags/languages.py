"""The language switch, hreflang links and the browser's language suggestion
(spinesite.i18n). A view may put `alternates` ({language: path or None}) in the
context; without it, the page exists at the same address in every language."""

from django import template
from django.conf import settings

from .. import i18n
from ..seo import absolute_url

register = template.Library()


def _alternates(context):
    request = context["request"]
    return context.get("alternates") or i18n.default_alternates(request.path)


# Some error pages render without the request (spinesite.errors.bad_request): they
# get no links to other languages.
NOTHING = {"links": [], "link": None, "x_default": None}


@register.inclusion_tag("languages/switch.html", takes_context=True)
def language_switch(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    return {"links": i18n.switch_links(request.path, _alternates(context))}


@register.inclusion_tag("languages/hreflang.html", takes_context=True)
def hreflang_links(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    alternates = _alternates(context)
    links = [
        {"code": code, "href": absolute_url(path, request)}
        for code, path in alternates.items()
        if path is not None
    ]
    default = alternates.get(settings.LANGUAGE_CODE)
    x_default = absolute_url(default, request) if default is not None else None
    # Only a page in more than one language has alternates worth naming.
    return {"links": links if len(links) > 1 else [], "x_default": x_default}


@register.inclusion_tag("languages/suggestion.html", takes_context=True)
def language_suggestion(context):
    request = context.get("request")
    if request is None:
        return NOTHING
    suggested = i18n.suggested_language(request)
    if suggested is None:
        return {"link": None}
    for link in i18n.switch_links(request.path, _alternates(context)):
        if link["code"] == suggested:
            return {"link": link}
    return {"link": None}
