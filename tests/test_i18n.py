"""Two languages, one site: English at today's addresses, Spanish under /es/
(spinesite.i18n), the interface translated (locale/es), and language help."""

import re
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conditions.models import Condition, ConditionTranslation
from contact.models import ConsultationRequest
from locations.hours import Schedule
from spinesite import i18n
from spinesite.models import ClinicDetails
from tests.contact_support import valid_data
from tests.factories import ConditionFactory
from tests.sitemaps import sitemap_text
from tests.test_contact_admin import login, make_request
from tests.test_contact_email import mail_settings, parse, smtp  # noqa: F401 - fixtures
from tests.test_performance_budgets import (  # noqa: F401 - the site fixture
    QUERY_BUDGET,
    empty_page_cache,
    public_pages,
    site,
)

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def text_of(response):
    """What a reader sees: the body without tags, scripts or styles."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Addresses ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/xx/", "/xx/conditions/", "/es-mx/", "/ES/", "/es/xx/"])
def test_an_unknown_language_prefix_is_a_404_not_a_500(url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 404


def test_spanish_pages_live_under_es_with_the_same_slugs():
    condition = ConditionFactory(slug="sciatica")
    assert Client().get("/es/").status_code == 200
    assert Client().get("/es/conditions/").status_code == 200
    assert Client().get("/es/contact/").status_code == 200
    assert Client().get(f"/es/conditions/{condition.slug}/").status_code == 200
    # English stays where it was.
    assert Client().get(f"/conditions/{condition.slug}/").status_code == 200


def test_machines_files_and_staff_pages_have_no_spanish_address():
    for url in ["/es/sitemap.xml", "/es/robots.txt", "/es/admin/", "/es/accounts/login/"]:
        assert Client().get(url).status_code == 404, url
    assert Client().get("/sitemap.xml").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "",
        "*",
        "es",
        "es-MX,es;q=0.9,en;q=0.8",
        "en;q=abc",
        ";;;,,,",
        "x" * 5000,
        "es;q=0.5, *;q=0",
        "zz-ZZ, qq",
        "es;q=1.5",
        "-,--,es--x",
    ],
)
def test_any_accept_language_header_is_fine_and_never_redirects(header):
    for url in ["/", "/es/", "/contact/", "/es/conditions/"]:
        response = Client().get(url, headers={"accept-language": header})
        assert response.status_code == 200, (url, header)
        assert "Location" not in response


def test_the_browser_language_only_suggests_spanish():
    response = Client().get("/conditions/", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert re.search(
        r'class="language-suggestion" lang="es"><a href="/es/conditions/" hreflang="es">'
        r"Ver esta página en español</a>",
        html,
    )
    # Asked for in Spanish already, or English preferred: no suggestion.
    spanish = Client().get("/es/conditions/", headers={"accept-language": "es"})
    assert "language-suggestion" not in spanish.content.decode()
    english = Client().get("/conditions/", headers={"accept-language": "en-US,es;q=0.5"})
    assert "language-suggestion" not in english.content.decode()


def test_the_page_cache_keeps_each_language_and_suggestion_apart():
    plain = Client().get("/").content.decode()
    suggested = Client().get("/", headers={"accept-language": "es"}).content.decode()
    spanish = Client().get("/es/").content.decode()
    again = Client().get("/").content.decode()
    assert "language-suggestion" not in plain and "language-suggestion" in suggested
    assert '<html lang="es">' in spanish and '<html lang="en">' in again
    assert "language-suggestion" not in again


# The switch, hreflang and the sitemap --------------------------------------------


def test_every_page_says_its_language():
    assert '<html lang="en">' in Client().get("/").content.decode()
    assert '<html lang="es">' in Client().get("/es/").content.decode()
    assert '<html lang="es">' in Client().get("/es/nothing-here/").content.decode()


def test_the_switch_links_the_same_page_in_the_other_language():
    english = Client().get("/conditions/?region=neck").content.decode()
    # The filter is kept (spinesite.templatetags.languages.kept_query).
    assert '<a href="/es/conditions/?region=neck" hreflang="es">Español</a>' in english
    spanish = Client().get("/es/conditions/").content.decode()
    assert '<a href="/conditions/" hreflang="en">English</a>' in spanish


def test_hreflang_alternates_name_both_languages_and_a_default():
    html = Client().get("/es/contact/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/contact/">' in html
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/contact/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/contact/">' in html


@pytest.fixture
def spanish_conditions():
    """Conditions whose slug ends in -es are "translated" (spinesite.i18n.register)."""
    registered = i18n._languages_of.get(Condition)  # the app's own, put back after
    i18n.register(Condition, lambda page: {"es"} if page.slug.endswith("-es") else set())
    yield
    i18n.unregister(Condition)
    if registered is not None:
        i18n.register(Condition, registered)


def test_an_untranslated_page_switches_to_the_spanish_index_with_a_note():
    condition = ConditionFactory(slug="sciatica")
    html = Client().get(condition.get_absolute_url()).content.decode()
    assert '<a href="/es/conditions/" hreflang="es">Español</a>' in html
    assert "esta página aún no está traducida" in html
    assert 'hreflang="es" href="http://testserver/es/conditions/sciatica/"' not in html


def test_a_translated_page_switches_to_its_spanish_version(spanish_conditions):
    condition = ConditionFactory(slug="sciatica-es")
    html = Client().get(condition.get_absolute_url()).content.decode()
    assert '<a href="/es/conditions/sciatica-es/" hreflang="es">Español</a>' in html
    assert 'hreflang="es" href="http://testserver/es/conditions/sciatica-es/"' in html
    assert "no está traducida" not in html


def test_the_sitemap_lists_both_languages_with_alternates(spanish_conditions):
    ConditionFactory(slug="only-english")
    # The sitemap lists a page in Spanish from its published translation (in SQL).
    ConditionTranslation.objects.create(
        page=ConditionFactory(slug="both-es"),
        language="es",
        title="Ciática",
        summary="Resumen.",
        body="Texto.",
        translator="Agencia",
        status="published",
    )
    xml = sitemap_text(Client())
    assert "<loc>http://testserver/es/</loc>" in xml
    assert "<loc>http://testserver/es/contact/</loc>" in xml
    assert (
        '<xhtml:link rel="alternate" hreflang="es" href="http://testserver/es/conditions/"/>'
        in xml
    )
    assert "<loc>http://testserver/es/conditions/both-es/</loc>" in xml
    assert "<loc>http://testserver/conditions/only-english/</loc>" in xml
    assert "/es/conditions/only-english/" not in xml


# Interface text ------------------------------------------------------------------

# Interface text in key places that a Spanish page must never show in English.
KEY_ENGLISH = [
    "Skip to main content",
    "Menu",
    "Conditions",
    "Treatments",
    "Our team",
    "Locations",
    "Request a consultation",
    "Search conditions and videos",
    "In an emergency, call 911.",
    "This website gives general information.",
    "Words explained",
    "Privacy notice",
    "Language help",
]
CONTACT_ENGLISH = [
    "Your name",
    "Phone number",
    "Email address",
    "How should we contact you?",
    "When is a good time?",
    "What would you like to talk about?",
    "Anything else we should know?",
    "Send request",
    "Phone call",
    "Either is fine",
    "Not sure, or something else",
]


@pytest.mark.parametrize("url", ["/es/", "/es/contact/", "/es/conditions/", "/es/nothing-here/"])
def test_spanish_pages_show_no_english_interface_text(url):
    text = text_of(Client(raise_request_exception=False).get(url))
    shown = [s for s in KEY_ENGLISH + CONTACT_ENGLISH if re.search(rf"\b{re.escape(s)}", text)]
    assert shown == []
    assert "Saltar al contenido principal" in text
    assert "En una emergencia, llame al 911." in text


def test_every_interface_string_has_a_spanish_translation():
    po = PO.read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [
        entry
        for entry in entries
        if re.search(r'^msgstr(\[0\])? ""\n(?!")', entry + "\n", re.M) or "#, fuzzy" in entry
    ]
    assert untranslated == []


def test_spanish_contact_form_errors_are_in_spanish():
    response = Client().post(
        "/es/contact/", valid_data(name="", phone="12", email="", consent=None)
    )
    assert response.status_code == 400
    text = text_of(response)
    for spanish in [
        "Hay un problema con su solicitud",
        "Escriba su nombre.",
        "Escriba un número de teléfono de 7 a 15 dígitos",
        "Marque la casilla para que podamos comunicarnos con usted",
    ]:
        assert spanish in text
    assert "Enter your name" not in text and "There is a problem" not in text


def test_a_spanish_request_records_spanish_and_staff_get_a_spanish_subject(
    smtp,  # noqa: F811 - the fixture imported above
    django_capture_on_commit_callbacks,
):
    from tests.contact_support import run_queued_tasks

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/es/contact/", valid_data())
        Client().post("/es/contact/", valid_data(preferred_language="en"))
        Client().post("/contact/", valid_data(preferred_language="other"))
    assert response.status_code == 302
    assert response["Location"] == "/es/contact/thanks/"
    run_queued_tasks()
    spanish, english, other = ConsultationRequest.objects.order_by("pk")
    assert spanish.preferred_language == "es"
    # The subject follows the language the patient asked to be answered in (one the
    # site has), so the front desk sees at once who needs a Spanish speaker.
    subjects = [parse(message)["Subject"] for message in smtp.messages]
    assert subjects[0].endswith(f"Nueva solicitud de consulta n.º {spanish.pk}")
    assert subjects[1].endswith(f"New consultation request #{english.pk}")
    assert subjects[2].endswith(f"New consultation request #{other.pk}")


def test_the_patient_may_choose_another_language():
    form = Client().get("/contact/").content.decode()
    assert re.search(r'<option value="en" selected>English</option>', form)
    Client().post("/contact/", valid_data(preferred_language="other"))
    assert ConsultationRequest.objects.latest("pk").preferred_language == "other"
    refused = Client().post("/contact/", valid_data(preferred_language="klingon"))
    assert refused.status_code == 400
    assert "Choose one of the languages." in refused.content.decode()


def test_the_front_desk_sees_and_filters_the_preferred_language():
    client, _user = login("Front desk")
    spanish = make_request(preferred_language="es")
    english = make_request(preferred_language="en")
    import re

    def rows(query=""):
        """The result rows (not the filter sidebar, which names every language)."""
        page = client.get(f"/admin/contact/consultationrequest/{query}")
        assert page.status_code == 200
        table = page.content.decode().split('id="result_list"', 1)[1].split("</table>")[0]
        found = {}
        for row in re.findall(r"<tr.*?</tr>", table, re.S):
            link = re.search(r"/admin/contact/consultationrequest/(\d+)/change/", row)
            if link:
                found[int(link.group(1))] = row
        return found

    listed = rows()
    assert 'Language: <span lang="es">Español</span>' in listed[spanish.pk]
    assert "Language:" not in listed[english.pk]
    filtered = rows("?preferred_language__exact=es")
    assert list(filtered) == [spanish.pk]
    assert "Español" in filtered[spanish.pk]


def test_opening_hours_are_said_in_spanish():
    schedule = Schedule(weekly={0: [(time(8), time(13))], 1: [(time(13), time(17))]})
    zone = ZoneInfo("America/New_York")
    sunday = datetime(2026, 11, 29, 20, 0, tzinfo=zone)
    monday_noon = datetime(2026, 11, 30, 12, 0, tzinfo=zone)
    with translation.override("es"):
        assert schedule.status(sunday, zone).label == "Cerrado, abre mañana a las 8 a. m."
        assert schedule.status(monday_noon, zone).label == "Abierto ahora, cierra a la 1 p. m."
        week = dict(schedule.week())
        assert week["Lunes"] == "de 8 a. m. a 1 p. m." and week["Domingo"] == "Cerrado"
    with translation.override("es"):
        later = datetime(2026, 11, 30, 14, 0, tzinfo=zone)
        assert schedule.status(later, zone).label == "Cerrado, abre mañana a la 1 p. m."
    assert schedule.status(sunday, zone).label == "Closed, opens tomorrow 8 am"


# Language help -------------------------------------------------------------------


def test_every_page_links_language_help():
    english = Client().get("/").content.decode()
    assert '<a href="/language-help/">Language help / nondiscrimination</a>' in english
    assert '<a href="/es/language-help/" lang="es" hreflang="es">Ayuda con el idioma</a>' in (
        english
    )
    spanish = Client().get("/es/").content.decode()
    assert '<a href="/es/language-help/">Ayuda con el idioma / no discriminación</a>' in spanish


def test_language_help_ships_a_sample_with_the_spanish_tagline(settings):
    settings.LANGUAGE_ASSISTANCE_TAGLINES = ["es", "vi"]
    text = text_of(Client().get("/language-help/"))
    assert "Sample text." in text and "We do not discriminate" in text
    assert "ATENCIÓN: si habla español" in text
    assert "Vietnamese" not in text  # no shipped tagline: the clinic writes it in admin
    spanish = text_of(Client().get("/es/language-help/"))
    assert "Texto de muestra." in spanish and "No discriminamos" in spanish


def test_language_help_taglines_come_from_admin(settings, django_assert_max_num_queries):
    from contact.models import LanguageHelpPage

    settings.LANGUAGE_ASSISTANCE_TAGLINES = ["es", "vi"]
    ClinicDetails.get_solo()  # made by the first visit ever; every later one reads it
    page = LanguageHelpPage.get_solo()
    page.body = "## Our notice\n\nWe do not discriminate."
    page.save()
    page.taglines.create(language="vi", text="Tagline in Vietnamese, call {phone}.")
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = Client().get("/language-help/")
    text = text_of(response)
    assert "Our notice" in text and "Sample text" not in text
    assert "Tagline in Vietnamese, call (555) 010-0199." in text
    assert "ATENCIÓN" in text  # the shipped Spanish one until the clinic writes its own


# Budgets -------------------------------------------------------------------------


def test_spanish_pages_stay_within_the_query_budget(
    site,  # noqa: F811 - the fixture imported above
    client,
    django_assert_max_num_queries,
):
    pages = {**public_pages(site), "language help": "/language-help/"}
    for name, url in pages.items():
        empty_page_cache()
        with django_assert_max_num_queries(QUERY_BUDGET, info=name):
            response = client.get("/es" + url)
        assert response.status_code == 200, name


def test_structured_data_labels_follow_the_page_language():
    ConditionFactory(slug="sciatica")
    spanish = Client().get("/es/conditions/sciatica/").content.decode()
    assert '"inLanguage": "es"' in spanish
    assert '"name": "Inicio"' in spanish and '"name": "Afecciones"' in spanish
    english = Client().get("/conditions/sciatica/").content.decode()
    assert '"inLanguage": "en-US"' in english and '"name": "Home"' in english
