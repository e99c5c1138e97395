from django import template

from ..forms import page_key
from ..models import FeedbackPage

UNHELPFUL_SHOWN = 5

register = template.Library()


@register.inclusion_tag("feedback/question.html")
def feedback_question(page):
    """'Was this page helpful?' with Yes and No buttons: a plain form, no JavaScript.

    No CSRF token: the answer view is CSRF-exempt (see feedback.views.answer), so
    the page carries nothing personal and proxies and the page cache may keep it.
    """
    return {"page_key": page_key(page)}


@register.inclusion_tag("admin/feedback_queue.html", takes_context=True)
def feedback_queue(context):
    """The admin home page's list of pages readers found unhelpful, for staff who may see it."""
    unhelpful = None
    if context["request"].user.has_perm("feedback.view_feedbackpage"):
        queue = FeedbackPage.objects.review_queue().filter(no_count__gt=0)
        unhelpful = list(queue[:UNHELPFUL_SHOWN])
    return {"unhelpful": unhelpful}
