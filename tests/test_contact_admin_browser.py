"""The front desk in a real Chromium: first login with a second factor, the requests list."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from contact.groups import FRONT_DESK
from contact.models import AccessEvent, ConsultationRequest
from tests.factories import UserFactory
from tests.staff_support import PASSWORD, browser_sign_in, code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTS = "/admin/contact/consultationrequest/"
# Screenshots for people to look at: SCREENSHOT_DIR, or the test's temporary folder.
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def front_desk_user():
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name=FRONT_DESK))
    return user


def make_requests(count):
    for n in range(count):
        ConsultationRequest.objects.create(
            name=f"Maria-Fernanda Quintero-Alvarez {n}",
            phone=f"(555) 010-{n:04d} ext. 12",
            email=f"maria.fernanda.quintero.alvarez.{n}@example-mail-provider.org",
            preferred_contact="either",
            preferred_time="afternoon",
            topic="Lumbar spinal stenosis (narrowing of the spinal canal)",
            message="Pain down both legs when walking more than a block. " * 8,
            consented_at=timezone.now(),
        )


def test_front_desk_sets_up_a_second_factor_at_first_login(page, assert_accessible):
    make_requests(1)
    user = front_desk_user()
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/")
    assert "needs a second step at login" in page.content()
    assert "Maria-Fernanda" not in page.content()
    assert AccessEvent.objects.count() == 0  # nothing was shown
    assert_accessible(page)

    page.goto("/accounts/2fa/totp/activate/")
    assert page.locator("figure.totp-qr svg").count() == 1
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_url("**/recovery-codes/")  # to keep somewhere safe
    assert_accessible(page)

    page.goto(REQUESTS)
    assert "Maria-Fernanda Quintero-Alvarez 0" in page.content()
    assert AccessEvent.objects.filter(action="list", username=user.username).exists()


@pytest.mark.parametrize(
    ("name", "width", "height"), [("desktop-1280", 1280, 800), ("tablet", 820, 1180)]
)
def test_the_requests_list_fits_the_screen(browser, live_server, tmp_path, name, width, height):
    make_requests(30)
    user = front_desk_user()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": height}
    )
    tab = context.new_page()
    try:
        browser_sign_in(tab, user, next_url=REQUESTS)
        tab.goto(REQUESTS)
        overflow = tab.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        table = tab.locator("#result_list").bounding_box()
        folder = Path(SCREENSHOTS or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(folder / f"requests-{name}.png"), full_page=False)
        widths = tab.evaluate(  # for the failure message: which column is too wide
            "[...document.querySelectorAll('#result_list thead th')]"
            ".map(th => th.className + ': ' + Math.round(th.getBoundingClientRect().width))"
        )
        assert overflow <= 0, f"{overflow}px wider than the screen {widths}"
        assert table["x"] >= 0 and table["x"] + table["width"] <= width, widths
        # Phone and email are links the front desk can click.
        first = tab.locator("#result_list tbody tr").first
        assert first.locator('a[href^="tel:5550100"]').count() == 1
        assert first.locator('a[href^="mailto:maria.fernanda"]').count() == 1
    finally:
        context.close()
