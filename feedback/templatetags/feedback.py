from django import template

from ..forms import page_key

register = template.Library()


@register.inclusion_tag("feedback/question.html", takes_context=True)
def feedback_question(context, page):
    """'Was this page helpful?' with Yes and No buttons: a plain form, no JavaScript."""
    return {"page_key": page_key(page), "csrf_token": context.get("csrf_token")}
