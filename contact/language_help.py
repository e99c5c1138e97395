"""The language help and nondiscrimination page (ACA Section 1557 notices).

Staff edit the notice, in English and Spanish, and the taglines in admin
(contact.LanguageHelpPage). Taglines are shown for the languages listed in
LANGUAGE_ASSISTANCE_TAGLINES: the clinic's own text where it wrote one, else the
text shipped here. Only Spanish ships: a tagline in a language must be written by
someone who writes it well, so the clinic adds the others in admin.
"""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.shortcuts import render
from django.utils.translation import get_language

from spinesite.contentsnapshot import clinic_details

from .models import LanguageHelpPage, LanguageTagline, language_name

SHIPPED_TAGLINES = {
    "es": "ATENCIÓN: si habla español, tiene a su disposición servicios gratuitos de "
    "asistencia lingüística. Llame al {phone}.",
}


def taglines(saved, phone):
    """[{code, name, text}] for each language in LANGUAGE_ASSISTANCE_TAGLINES that
    has a tagline: saved in admin (`saved`: {code: text}) or shipped."""
    found = []
    for code in settings.LANGUAGE_ASSISTANCE_TAGLINES:
        text = saved.get(code) or SHIPPED_TAGLINES.get(code)
        if text:
            found.append(
                {"code": code, "name": language_name(code), "text": text.replace("{phone}", phone)}
            )
    return found


def page(request):
    """One query: the page and its taglines."""
    found = (
        LanguageHelpPage.objects.filter(pk=LanguageHelpPage.singleton_instance_id)
        .annotate(
            saved_taglines=ArraySubquery(
                LanguageTagline.objects.filter(page=OuterRef("pk")).values(
                    json=JSONObject(code="language", text="text")
                )
            )
        )
        .first()
    )
    if found is None:  # not saved in admin yet: the sample text, without writing anything
        found = LanguageHelpPage()
        found.render()
        found.saved_taglines = []
    phone = clinic_details(request).phone
    saved = {row["code"]: row["text"] for row in found.saved_taglines}
    context = {
        "notice_html": found.html(get_language()),
        "taglines": taglines(saved, phone),
    }
    return render(request, "contact/language_help.html", context)
