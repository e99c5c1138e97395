"""Error views that give the error templates the clinic's details.

Django's own views for 400 and CSRF failures render without the request, so the
templates would lack the clinic's name and phone number from the context
processors. The 500 page stays Django's: it must render with the database down, so
it gets no context at all (templates/500.html). The 404 page is Django's, but keeps
nothing in the fragment cache (spinesite.fragments).
"""

from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.template.loader import render_to_string
from django.views import defaults

from . import fragments
from .context_processors import clinic


def bad_request(request, exception):
    # Still without the request: the commonest 400 is a Host header that is not in
    # ALLOWED_HOSTS, and anything that reads the host (absolute URLs) would fail again.
    # Nothing about the exception reaches the page.
    return HttpResponseBadRequest(render_to_string("400.html", clinic(request)))


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))


def page_not_found(request, exception):
    # The page's header links to the address asked for (the language switch), so
    # kept, each address a scanner tries would take an entry of the fragment cache.
    fragments.keep_nothing(request)
    return defaults.page_not_found(request, exception)
