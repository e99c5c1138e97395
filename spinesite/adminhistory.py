"""Admin history for every kind of page: each version with its diff, and one-click restore."""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from reversion.errors import RevertError

from . import history


class PageHistoryAdmin(admin.ModelAdmin):
    """Records a version on each save made through the admin, and shows them.

    Django's own history page lists only the names of changed fields; this one shows
    who changed what and when, as a diff of each field, with a Restore button.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        reversion.set_comment("Created in admin.")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reversion.set_comment(entry.get_change_message() or "Changed in admin.")
        return entry

    def get_urls(self):
        opts = self.model._meta
        restore = self.admin_site.admin_view(require_POST(self.restore_view))
        return [
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                restore,
                name=f"{opts.app_label}_{opts.model_name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404
        if not self.has_view_or_change_permission(request, page):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {page}",
            "subtitle": None,
            "opts": opts,
            "object": page,
            "entries": history.history(page),
            "can_restore": self.has_change_permission(request, page),
            "restore_url": f"admin:{opts.app_label}_{opts.model_name}_restore",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/page_history.html", context)

    def restore_view(self, request, object_id, version_id):
        page = self.get_object(request, unquote(object_id))
        if page is None:
            raise Http404
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        version = history.versions(page).filter(pk=version_id).first()
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[page.pk])
        if version is None:
            messages.error(request, "That version is not one of this page's versions.")
            return redirect(back)
        try:
            left_out = history.restore(page, version, request.user)
        except RevertError as error:
            messages.error(request, f"That version cannot be restored: {error}. Nothing changed.")
            return redirect(back)
        when = timezone.localtime(version.revision.date_created)
        messages.success(
            request, f"Restored the version of {when:%b %d, %Y %H:%M}, as a new version."
        )
        if left_out:
            messages.warning(
                request,
                "Left out, as they no longer exist: " + ", ".join(left_out) + ".",
            )
        return redirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])
        )
