from allauth.mfa.utils import is_mfa_enabled
from django import template

register = template.Library()


@register.filter
def has_second_factor(user):
    """True once the user has an authenticator app or a passkey (spinesite.staffauth)."""
    return user.is_authenticated and is_mfa_enabled(user)
