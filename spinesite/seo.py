"""What search engines read: absolute URLs and schema.org structured data (JSON-LD).

Structured data is built here as plain dicts and written out by `json_ld()`, never as
hand-written JSON in templates, so it is always valid JSON and nothing an editor types
can end the <script> element it sits in.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SCHEMA = "https://schema.org"
# As django.utils.html.json_script escapes: "</script>" and "<!--" cannot appear in
# the output, and JSON parsers read the escapes back as the original characters.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(path, request=None):
    """`path` on the site's public address: SITE_URL, or else the request's host."""
    path = escape_uri_path(path)
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def json_ld(data):
    """`data` as a JSON-LD <script> block: data for search engines, not code to run.

    Django's json_script escapes the same way but writes type="application/json",
    which search engines do not read as JSON-LD.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


def breadcrumb_list(crumbs, request=None):
    """schema.org BreadcrumbList from (name, path) pairs, home first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(path, request),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def medical_clinic(clinic, request=None):
    """schema.org MedicalClinic from the clinic's details (spinesite.models.ClinicDetails)."""
    return {
        "@context": SCHEMA,
        "@type": "MedicalClinic",
        "name": clinic.name,
        "url": absolute_url(reverse("home"), request),
        "telephone": clinic.phone,
        "address": ", ".join(line.strip() for line in clinic.address.splitlines() if line.strip()),
    }


def medical_web_page(page, clinic, request=None, about_type="MedicalCondition"):
    """schema.org MedicalWebPage about a MedicalCondition, for a condition page, or about
    `about_type` (MedicalTherapy, MedicalProcedure...) for another kind of Article.

    Review details appear only when an editor has filled them in: the page must not
    claim a review that did not happen.
    """
    url = absolute_url(page.get_absolute_url(), request)
    about = {"@type": about_type, "name": page.title}
    if page.other_names:
        about["alternateName"] = page.other_names
    data = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "description": page.summary,
        "inLanguage": {"en": "en-US"}.get(get_language(), get_language()),
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": about,
        "dateModified": page.updated,
        "publisher": {
            "@type": "MedicalClinic",
            "name": clinic.name,
            "url": absolute_url(reverse("home"), request),
        },
    }
    if page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed
    reviewer = reviewed_by(page, request)
    if reviewer:
        data["reviewedBy"] = reviewer
    return data


def reviewed_by(page, request=None):
    """schema.org Person for a page's reviewer: our clinician (with a link to their
    profile once it is published), or the outside reviewer typed in; {} if none."""
    clinician = page.reviewed_by if page.reviewed_by_id else None
    if clinician is not None:
        reviewer = {"@type": "Person", "name": clinician.title}
        if clinician.credentials:
            reviewer["honorificSuffix"] = clinician.credentials
        if clinician.is_published:
            reviewer["url"] = absolute_url(clinician.get_absolute_url(), request)
        return reviewer
    if not page.reviewer_name:
        return {}
    reviewer = {"@type": "Person", "name": page.reviewer_name}
    if page.reviewer_credentials:
        reviewer["description"] = page.reviewer_credentials
    return reviewer
