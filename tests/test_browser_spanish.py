"""Spanish pages in a real Chromium: accessibility, the language switch, the form."""

import pytest
from django.core.management import call_command

from contact.models import ConsultationRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample_content():
    call_command("load_content", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(
    "path", ["/es/", "/es/contact/", "/es/conditions/", "/es/language-help/", "/es/no-such-page/"]
)
def test_spanish_pages_pass_axe(page, assert_accessible, sample_content, path):
    response = page.goto(path)
    assert response.status == (404 if "no-such" in path else 200)
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)


def test_a_patient_switches_to_spanish_and_back(page, sample_content):
    page.goto("/conditions/")
    page.get_by_role("link", name="Español", exact=True).click()
    assert page.url.endswith("/es/conditions/")
    assert page.locator("h1").inner_text() == "Afecciones de la columna de la A a la Z"
    # Chromium asks for English (Accept-Language), so the page also suggests it.
    assert page.get_by_role("link", name="View this page in English").count() == 1
    page.get_by_role("link", name="English", exact=True).click()
    assert page.url.endswith("/conditions/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_patient_sends_the_form_in_spanish_and_fixes_an_error(page, sample_content):
    page.goto("/es/contact/")
    page.get_by_label("Su nombre").fill("Ana Quintero")
    page.locator("#id_email").fill("ana@example.org")
    page.get_by_role("radio", name="Correo electrónico").check()
    page.get_by_role("button", name="Enviar solicitud").click()
    # The box was not ticked: the error is in Spanish, and the words typed are kept.
    assert page.get_by_role("alert").get_by_text("Marque la casilla").count() == 1
    assert page.get_by_label("Su nombre").input_value() == "Ana Quintero"
    page.get_by_label("Acepto que la clínica").check()
    page.get_by_role("button", name="Enviar solicitud").click()
    page.wait_for_url("**/es/contact/thanks/")
    assert page.locator("h1").inner_text() == "Gracias: recibimos su solicitud"
    assert ConsultationRequest.objects.get().preferred_language == "es"


@pytest.mark.parametrize("width", [390, 1280])
def test_spanish_pages_never_scroll_sideways(page, sample_content, width):
    """Spanish runs longer than English: the header's labels (one row had no room for
    the search box and phone at 1280 px) and long addresses in text must wrap."""
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/es/", "/es/conditions/failed-back-surgery-syndrome/", "/es/language-help/"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        phone = page.locator(".header-phone")
        if phone.is_visible():  # the desktop header's call button, all of it on screen
            box = phone.bounding_box()
            assert box["x"] + box["width"] <= width, path
