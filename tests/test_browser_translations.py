"""A Spanish condition page in a real Chromium: accessible (axe-core), the switch to
English and back, and no request to another site."""

from urllib.parse import urlparse

import pytest

from tests.test_translations import FBSS, content_root, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spanish_content(tmp_path):
    load(content_root(tmp_path))


def test_spanish_condition_page_passes_axe_and_switches_language(
    page, live_server, assert_accessible, spanish_content
):
    response = page.goto(f"/es/conditions/{FBSS}/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Síndrome de espalda fallida"
    assert page.get_by_text("Esta traducción espera revisión clínica").count() == 1
    assert_accessible(page)
    hosts = {urlparse(url).netloc for url in page.requests}
    assert hosts <= {"", urlparse(live_server.url).netloc}

    page.locator(f'a[hreflang="en"][href$="/conditions/{FBSS}/"]').first.click()
    page.wait_for_url(f"**/conditions/{FBSS}/")
    assert page.locator("h1").inner_text() == "Failed Back Surgery Syndrome"
    page.locator(f'a[hreflang="es"][href$="/es/conditions/{FBSS}/"]').first.click()
    page.wait_for_url(f"**/es/conditions/{FBSS}/")
    assert page.locator("h1").inner_text() == "Síndrome de espalda fallida"


def test_out_of_date_spanish_page_passes_axe(page, assert_accessible, spanish_content):
    from conditions.models import Condition

    fbss = Condition.objects.get(slug=FBSS)
    fbss.body += "\nNew information.\n"
    fbss.save()
    page.goto(f"/es/conditions/{FBSS}/")
    assert page.get_by_text("La página en inglés tiene información más nueva").count() == 1
    assert_accessible(page)
