"""Keep what patients send out of error reports."""

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter


def private_paths():
    admin = "/" + getattr(settings, "ADMIN_URL", "admin/").lstrip("/")
    return ("/contact/", f"{admin}contact/")


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, plus: no POST field is ever shown, and for contact pages
    (the form and its admin) no local variable either.

    `sensitive_post_parameters` on the contact view covers the view itself; this also
    covers errors raised in middleware before the view runs, and admin forms, whose
    internal notes may hold health information.
    """

    def get_post_parameters(self, request):
        if request is None:
            return {}
        try:
            post = request.POST
        except Exception:  # noqa: BLE001 - a body that could not be parsed shows nothing
            return {}
        if not self.is_active(request):
            return post
        return {key: self.cleansed_substitute for key in post}

    def get_traceback_frame_variables(self, request, tb_frame):
        if (
            request is not None
            and self.is_active(request)
            and request.path.startswith(private_paths())
        ):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
