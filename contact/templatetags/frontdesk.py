from django import template
from django.conf import settings

from contact.models import ConsultationRequest

register = template.Library()
Status = ConsultationRequest.Status


@register.inclusion_tag("admin/front_desk_summary.html", takes_context=True)
def front_desk_summary(context):
    """The admin home's counts for the front desk: new requests, possible spam to
    check, and open requests nobody has touched for CONSULTATION_STALE_DAYS.

    Counts only, no names: nothing here needs recording in the access audit.
    """
    user = context["request"].user
    if not user.has_perm("contact.view_consultationrequest"):
        return {"shown": False}
    requests = ConsultationRequest.objects
    return {
        "shown": True,
        "new": requests.filter(status=Status.NEW).count(),
        "review": requests.filter(status=Status.POSSIBLE_SPAM).count(),
        "stale": requests.stale().count(),
        "stale_days": settings.CONSULTATION_STALE_DAYS,
    }
