"""`{% url %}` that reverses each URL once per process, not on every render.

A page's header, footer and link lists hold about forty `{% url %}` tags: reversing
them was an eighth of a condition page's CPU when the page cache misses (cProfile,
bench/README). The URLconf does not change while a process runs, so a reversed
URL is kept, keyed by everything `reverse()` reads: the URLconf and script prefix
in force, the active language (i18n_patterns: /es/ addresses), the view name, its
arguments and the current app. Only plain str and int
arguments are kept (slugs, ids); anything else is reversed each time, as Django does.
Loaded as a template builtin (settings.TEMPLATES), so it replaces Django's tag in
every template without a `{% load %}`.
"""

from functools import lru_cache

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# A few per page of each kind: bounded, so 100,000 pages cannot fill memory.
MAX_KEPT = 20_000


@lru_cache(maxsize=MAX_KEPT)
def _reverse(urlconf, prefix, language, view_name, args, kwargs, current_app):
    return reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def _plain(values):
    return all(isinstance(value, str | int) for value in values)


class CachedURLNode(defaulttags.URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            if isinstance(view_name, str) and _plain(args) and _plain(v for _, v in kwargs):
                url = _reverse(
                    get_urlconf(),
                    get_script_prefix(),
                    get_language(),
                    view_name,
                    args,
                    kwargs,
                    current_app,
                )
            else:
                url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}, parsed as Django parses it, rendered by CachedURLNode."""
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
