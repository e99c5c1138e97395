from django import template

from feedback.models import FeedbackPage
from spinesite import editorial

register = template.Library()

UNHELPFUL_SHOWN = 5


@register.inclusion_tag("admin/editor_queue.html", takes_context=True)
def editor_queue(context):
    """The admin home page's to-do list: reviews coming due, pages readers found unhelpful.

    Each part is shown only to staff who may see the pages it lists.
    """
    user = context["request"].user
    due = unhelpful = None
    if user.has_perm("conditions.view_condition"):
        due = editorial.due_for_review()
    if user.has_perm("feedback.view_feedbackpage"):
        queue = FeedbackPage.objects.review_queue().filter(no_count__gt=0)
        unhelpful = list(queue[:UNHELPFUL_SHOWN])
    return {"due": due, "unhelpful": unhelpful, "window": editorial.REVIEW_WINDOW_DAYS}
