"""Staff logins in tests: a second factor set up and used, as the site requires."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client

from spinesite.staffauth import VERIFIED_SESSION_KEY

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, for tests only
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def enrol(user, secret=SECRET):
    """Give the user an authenticator app with a known secret."""
    TOTP.activate(user, secret)
    return user


def code(secret=SECRET):
    """The authenticator app's current 6-digit code, with time left to use it.

    The site allows no clock drift (allauth's MFA_TOTP_TOLERANCE is 0), so a
    code read in the last moments of its 30 s step may be refused on arrival;
    like a person watching the app, wait for the next one.
    """
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def verified_client(user, client=None):
    """A client logged in as `user`, whose session has used its second factor."""
    client = client or Client()
    if not user.authenticator_set.exists():
        enrol(user)
    client.force_login(user)
    session = client.session
    session[VERIFIED_SESSION_KEY] = True
    session.save()
    return client


def browser_sign_in(tab, user, password=PASSWORD, next_url="/admin/"):
    """Log in in the browser: username and password, then the app's code."""
    if not user.authenticator_set.exists():
        enrol(user)
    tab.goto(f"/accounts/login/?next={next_url}")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign In").click()
    field = tab.get_by_label("Code")
    field.wait_for()  # the code is read once its page is there, as a person would
    field.fill(code())
    tab.get_by_role("button", name="Sign In").click()
    tab.wait_for_load_state()
