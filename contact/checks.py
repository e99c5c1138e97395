from django.conf import settings
from django.core.checks import Info, register


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
    return problems
