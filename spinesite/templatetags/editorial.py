from django import template

from spinesite import editorial, pages

register = template.Library()


@register.inclusion_tag("admin/review_due.html", takes_context=True)
def review_due(context):
    """The admin home page's to-do list of reviews coming due (see also feedback_queue).

    It lists the kinds of page this member of staff may see, and is hidden if none.
    """
    user = context["request"].user
    visible = [
        kind
        for kind in pages.kinds()
        if user.has_perm(f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}")
    ]
    due = editorial.due_for_review(kinds=visible) if visible else None
    return {"due": due, "window": editorial.REVIEW_WINDOW_DAYS}
