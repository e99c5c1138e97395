from django.conf import settings
from django.core.checks import Info, Warning, register


@register(deploy=True)
def notification_settings(app_configs, **kwargs):
    """`manage.py check --deploy`: consultation requests must reach someone."""
    problems = []
    if not settings.CONSULTATION_NOTIFY_EMAILS:
        # Info, not Warning: requests are still stored and shown in admin.
        problems.append(
            Info(
                "CONSULTATION_NOTIFY_EMAILS is empty: nobody is emailed about new "
                "consultation requests.",
                hint="Set it to the front desk's address(es), comma-separated.",
                id="contact.I001",
            )
        )
    if not settings.SITE_URL.startswith(("https://", "http://")):
        problems.append(
            Warning(
                "SITE_URL is not set and ALLOWED_HOSTS names no host: notification emails "
                "cannot link to the request.",
                hint="Set it to the site's public address, e.g. https://www.example-clinic.com",
                id="contact.W002",
            )
        )
    return problems
