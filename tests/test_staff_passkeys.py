"""Passkeys in a real Chromium, with its virtual authenticator, under the site's CSP."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import timezone

from contact.groups import FRONT_DESK
from contact.models import ConsultationRequest
from tests.factories import UserFactory
from tests.staff_support import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUESTS = "/admin/contact/consultationrequest/"
RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def password_login(tab, user):
    tab.goto(f"/accounts/login/?next={REQUESTS}")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign In").click()
    tab.wait_for_load_state()


def test_a_front_desk_user_adds_a_passkey_and_logs_in_with_it(page, settings):
    # The live server speaks plain HTTP on localhost, as `make serve` does.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    ConsultationRequest.objects.create(
        name="Ana Passkey-Patient",
        phone="5550100142",
        preferred_contact="phone",
        consented_at=timezone.now(),
    )
    user = UserFactory(is_staff=True)
    user.groups.set(Group.objects.filter(name=FRONT_DESK))
    page.add_init_script(RECORD_CSP)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    password_login(page, user)
    assert page.url.endswith("/accounts/2fa/")
    page.goto("/accounts/2fa/webauthn/add/")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=user, type="webauthn").exists()

    page.goto(REQUESTS)
    assert "Ana Passkey-Patient" in page.content()
    page.context.clear_cookies()

    password_login(page, user)
    assert "/accounts/2fa/authenticate/" in page.url
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(f"**{REQUESTS}")
    assert "Ana Passkey-Patient" in page.content()
    assert page.evaluate("window.__csp") == []
