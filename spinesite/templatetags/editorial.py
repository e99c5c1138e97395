from django import template

from spinesite import editorial, pagekinds

register = template.Library()


@register.inclusion_tag("admin/review_due.html", takes_context=True)
def review_due(context):
    """The admin home page's to-do list of reviews coming due (see also feedback_queue).

    It lists the kinds of page this member of staff may see, and is hidden if none.
    """
    user = context["request"].user
    visible = [
        kind
        for kind in pagekinds.kinds()
        if user.has_perm(f"{kind.model._meta.app_label}.view_{kind.model._meta.model_name}")
    ]
    due = editorial.due_for_review(kinds=visible) if visible else None
    return {"due": due, "window": editorial.REVIEW_WINDOW_DAYS}


@register.inclusion_tag("admin/translations_due.html", takes_context=True)
def translations_due(context):
    """The admin home page's list of translations to bring up to date or to review."""
    from spinesite.translation_review import translations_to_check
    from spinesite.translations import models_registered

    user = context["request"].user
    visible = [
        model._meta.get_field("page").related_model
        for model in models_registered()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]
    if not visible:
        return {"rows": None}
    return {"rows": translations_to_check(visible, editorial.REVIEW_WINDOW_DAYS)}
