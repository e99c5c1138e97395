"""Template tags for what search engines read: absolute URLs and JSON-LD blocks."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext

from spinesite import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as a full URL on the site's public address, e.g. for canonical links."""
    return seo.absolute_url(path, context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumb_structured_data(context, *names_and_paths):
    """A BreadcrumbList after Home: {% breadcrumb_structured_data "Conditions" path ... %}:
    the section first, then the page's own title, if any."""
    # The section's name ("Videos", "Locations") is interface text: said in the page's
    # language. What follows are page titles, content: as they are, never looked up
    # in the interface's translations (a page titled "Treatments" stays so).
    section, *titles = names_and_paths[::2]
    names = [gettext(section), *titles]
    pairs = list(zip(names, names_and_paths[1::2], strict=True))
    crumbs = [(gettext("Home"), reverse("home")), *pairs]
    return seo.json_ld(seo.breadcrumb_list(crumbs, context.get("request")))


@register.simple_tag(takes_context=True)
def condition_structured_data(context, condition):
    """MedicalWebPage and BreadcrumbList for a condition page."""
    request = context.get("request")
    page = seo.medical_web_page(condition, context["clinic"], request)
    return seo.json_ld(page) + breadcrumb_structured_data(
        context,
        "Conditions",
        reverse("conditions:index"),
        condition.title,
        condition.get_absolute_url(),
    )


@register.simple_tag(takes_context=True)
def clinic_structured_data(context):
    """MedicalClinic, from the clinic's details: for the home and contact pages."""
    return seo.json_ld(seo.medical_clinic(context["clinic"], context.get("request")))
