from django import template

from ..forms import page_key

register = template.Library()


@register.inclusion_tag("feedback/question.html")
def feedback_question(page):
    """'Was this page helpful?' with Yes and No buttons: a plain form, no JavaScript.

    No CSRF token: the answer view is CSRF-exempt (see feedback.views.answer), so
    the page carries nothing personal and proxies and the page cache may keep it.
    """
    return {"page_key": page_key(page)}
