"""`{% contentcache "name" var ... %}...{% endcontentcache %}`: Django's `{% cache %}`
keyed by the content version, the language and the host as well (spinesite.fragments).

A part of a page that depends only on content and language is rendered once per
content version and kept in `CACHES["fragments"]`, so a request the page cache does
not answer (an editor's, a visitor with a session cookie) does not render it again.
The variables after the name must say everything else the part depends on (the page
shown, the path for the language switch, a query parameter). Loaded as a template
builtin (settings.TEMPLATES).
"""

from django import template
from django.core.cache import caches
from django.template import TemplateSyntaxError
from django.templatetags.cache import CacheNode

from .. import fragments

register = template.Library()


class ContentCacheNode(CacheNode):
    def __init__(self, nodelist, fragment_name, vary_on):
        super().__init__(nodelist, None, fragment_name, vary_on, "fragments")

    def render(self, context):
        vary_on = [var.resolve(context) for var in self.vary_on]
        cache_key = fragments.key(context.get("request"), self.fragment_name, vary_on)
        if cache_key is None:  # no content version known: nothing may be kept
            return self.nodelist.render(context)
        cache = caches["fragments"]
        value = cache.get(cache_key)
        if value is None:
            request = context["request"]
            before = _personal(request)
            value = self.nodelist.render(context)
            # A part that used the visitor's CSRF token or a CSP nonce is theirs alone.
            if _personal(request) == before:
                cache.set(cache_key, value)
        return value


def _personal(request):
    """What rendering changes on a request when it puts something of the visitor's in
    the page (as spinesite.pagecache checks for whole pages)."""
    return request.META.get("CSRF_COOKIE_NEEDS_UPDATE"), getattr(request, "_csp_nonce", None)


@register.tag("contentcache")
def do_contentcache(parser, token):
    nodelist = parser.parse(("endcontentcache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 2:
        raise TemplateSyntaxError(f"{tokens[0]!r} needs a fragment name.")
    return ContentCacheNode(
        nodelist, tokens[1].strip("\"'"), [parser.compile_filter(t) for t in tokens[2:]]
    )
