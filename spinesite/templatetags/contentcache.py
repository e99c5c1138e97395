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
from django.utils.functional import empty

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
            value, personal = _render(self.nodelist, context)
            # A part that used the visitor's CSRF token or a CSP nonce is theirs alone.
            if not personal and fragments.may_keep(request):
                cache.set(cache_key, value)
        return value


def _render(nodelist, context):
    """The part rendered, and whether it holds something of the visitor's: their CSRF
    token or the request's CSP nonce (as spinesite.pagecache checks for whole pages).

    Comparing the request before and after is not enough: once something earlier in
    the page has made the token or the nonce, using it again changes nothing. So the
    CSRF flag is taken off while the part renders (get_token() sets it again), and
    the token or nonce already made is looked for in the text itself.
    """
    request = context["request"]
    nonce_before = getattr(request, "_csp_nonce", None)
    needed = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    try:
        value = nodelist.render(context)
        personal = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
    finally:
        if needed is not None and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = needed
    nonce = getattr(request, "_csp_nonce", None)
    # The token {% csrf_token %} shows, only if it was already made: reading it
    # here would make one for a part that has none.
    token = context.get("csrf_token")
    made = getattr(token, "_wrapped", empty) is not empty if token is not None else False
    return value, (
        personal
        or nonce != nonce_before
        or (isinstance(nonce, str) and nonce in value)
        or (made and str(token) in value)
    )


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
