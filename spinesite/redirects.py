"""Old addresses of renamed pages answer 301 to the page's current address.

A small model (spinesite.models.Redirect) rather than django.contrib.redirects: that
app needs the sites framework and stores address-to-address pairs, so a page renamed
twice would need its chain rewritten by hand and a deleted page would leave a
redirect to a 404. Here each old slug points at the page itself: chains collapse by
construction, a deleted page takes its old slugs with it, and every registered kind
of page (spinesite.pagekinds) gets it from `register()`, whichever way its slug changes
(admin, `load_content`, a restored version).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from . import pagekinds
from .models import Redirect


def connect(model):
    uid = f"spinesite.redirects.{model._meta.label}"
    pre_save.connect(_remember_slug, sender=model, dispatch_uid=uid)
    post_save.connect(_keep_old_slug, sender=model, dispatch_uid=uid)
    post_delete.connect(_forget_page, sender=model, dispatch_uid=uid)


def disconnect(model):
    uid = f"spinesite.redirects.{model._meta.label}"
    for signal in (pre_save, post_save, post_delete):
        signal.disconnect(sender=model, dispatch_uid=uid)


def _remember_slug(sender, instance, raw=False, **kwargs):
    instance._stored_slug = None
    if instance.pk is not None and not raw:
        instance._stored_slug = (
            sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def taken_from(page):
    """The page whose old address `page`'s slug is, if any (before `page` is saved)."""
    found = Redirect.objects.filter(
        content_type=ContentType.objects.get_for_model(page), old_slug=page.slug
    ).exclude(object_id=page.pk or 0)
    redirect = found.first()
    if redirect is None:
        return None
    return type(page)._base_manager.filter(pk=redirect.object_id).first()


def _keep_old_slug(sender, instance, raw=False, **kwargs):
    kind = ContentType.objects.get_for_model(sender)
    # A page's own address is never a redirect: a page that takes an old slug back
    # (itself, or a new page) ends that redirect.
    Redirect.objects.filter(content_type=kind, old_slug=instance.slug).delete()
    old = getattr(instance, "_stored_slug", None)
    if old and old != instance.slug:
        Redirect.objects.update_or_create(
            content_type=kind, old_slug=old, defaults={"object_id": instance.pk}
        )


def _forget_page(sender, instance, **kwargs):
    Redirect.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


class RedirectMiddleware:
    """Turn a 404 at a page's old address into a 301 to where the page is now.

    Only 404s of a kind's detail URL cost a query; the target must be one the
    visitor may see (published, or any page for staff).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        kind = next((k for k in pagekinds.kinds() if k.url_name == match.view_name), None)
        slug = match.kwargs.get("slug")
        if kind is None or not slug:
            return response
        redirect = Redirect.objects.filter(
            content_type=ContentType.objects.get_for_model(kind.model), old_slug=slug
        ).first()
        if redirect is None:
            return response
        page = kind.model.objects.visible_to(request).filter(pk=redirect.object_id).first()
        if page is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(
            page.get_absolute_url() + (f"?{query}" if query else "")
        )
