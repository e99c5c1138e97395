"""JSON-LD for treatment pages."""

from django import template
from django.urls import reverse

from spinesite import seo
from spinesite.templatetags.seo import breadcrumb_structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def treatment_structured_data(context, treatment):
    """MedicalWebPage about the treatment (its schema.org type), and BreadcrumbList."""
    request = context.get("request")
    page = seo.medical_web_page(
        treatment, context["clinic"], request, about_type=treatment.schema_type
    )
    return seo.json_ld(page) + breadcrumb_structured_data(
        context,
        "Treatments",
        reverse("treatments:index"),
        treatment.title,
        treatment.get_absolute_url(),
    )
