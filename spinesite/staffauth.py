"""Staff logins: a second factor for those who see patient data, and an idle timeout.

django-allauth does the logging in (username and password, then an authenticator
app code, a passkey or a recovery code for anyone who has set one up) and the
enrolment pages. This module decides who must have a second factor, sends them to
set one up before anything else, and ends staff sessions left idle.

Who must: superusers and anyone holding one of MFA_REQUIRED_PERMISSIONS (seeing
consultation requests or managing users). Everyone else (content editors) is offered
it on the admin home page.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from .clientaddress import client_address

# Set when this session proved a second factor: at login, or by setting one up.
VERIFIED_SESSION_KEY = "staff_mfa_verified"
SEEN_SESSION_KEY = "staff_last_seen"
FIRST_SETUP_SECONDS = 15 * 60  # from logging in to setting up the first factor


class StaffAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by an administrator, never by signing up."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        return client_address(request)  # the site's one client-address function

    def pre_authenticate(self, request, **credentials):
        """Wrong passwords are counted by django-axes, in PostgreSQL for every process
        (its lockout page, its cool-off). allauth's own count of them, kept in each
        process's memory, is skipped; its count of wrong second-factor codes stays."""

    def is_reauthentication_required(self, *, app, **kwargs):
        """Setting up the first second factor right after logging in (and seeing the
        recovery codes it comes with) asks for no password again: the newcomer typed
        it moments ago. Later changes do."""
        request = context.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and (
                not is_mfa_enabled(request.user)
                or request.session.get(VERIFIED_SESSION_KEY)  # set up in this session
            )
            and any(
                method.get("method") == "password"
                and time.time() - method.get("at", 0) < FIRST_SETUP_SECONDS
                for method in request.session.get("account_authentication_methods", [])
            )
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def must_use_mfa(user):
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or any(user.has_perm(p) for p in settings.MFA_REQUIRED_PERMISSIONS)


def session_verified(request):
    if request.session.get(VERIFIED_SESSION_KEY):
        return True
    methods = request.session.get("account_authentication_methods", [])
    return any(method.get("method") == "mfa" for method in methods)


@receiver(post_save, sender=Authenticator)
def _verified_by_setting_up(sender, instance, created, **kwargs):
    # Setting up an app or a passkey proves it: its code or the key was just checked.
    # (allauth's own signal comes after the commit, too late for this request's session.)
    request = context.request
    if created and request is not None and request.user.pk == instance.user_id:
        request.session[VERIFIED_SESSION_KEY] = True


class StaffSecurityMiddleware:
    """After AuthenticationMiddleware: idle timeout, then the second-factor rule.

    - A staff session unused for STAFF_IDLE_TIMEOUT_SECONDS is logged out.
    - A user who must use MFA and has not set it up is sent to set it up; one who has
      but whose session did not use it (logged in some other way) is logged out.
      allauth's own pages (/accounts/: enrolment, logout) stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            response = self.idle(request) or self.second_factor(request)
            if response is not None:
                return response
        return self.get_response(request)

    def idle(self, request):
        now = int(time.time())
        seen = request.session.get(SEEN_SESSION_KEY, now)
        if now - seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
            logout(request)
            minutes = settings.STAFF_IDLE_TIMEOUT_SECONDS // 60
            messages.info(
                request, f"You were logged out after {minutes} minutes without activity."
            )
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if now - seen >= 60 or SEEN_SESSION_KEY not in request.session:  # a write a minute
            request.session[SEEN_SESSION_KEY] = now
        return None

    def second_factor(self, request):
        user = request.user
        if not must_use_mfa(user) or request.path.startswith(f"/{settings.ACCOUNTS_URL}"):
            return None
        if not is_mfa_enabled(user):
            messages.warning(
                request,
                "Your account can see patients' requests or manage staff, so it needs a "
                "second step at login. Set up an authenticator app or a passkey now; it "
                "takes a minute.",
            )
            return redirect("mfa_index")
        if not session_verified(request):
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        return None
