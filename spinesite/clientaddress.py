"""Who is asking: the one place that reads the client's address.

Rate limits (`spinesite.ratelimit`) and the admin lockout (django-axes, through
AXES_CLIENT_IP_CALLABLE) both count clients with `client_network`, so neither can be
escaped by a client that rotates addresses inside its own IPv6 /64 or writes its own
X-Forwarded-For entries.

Behind TRUSTED_PROXY_COUNT proxies, each appends the address it saw to
X-Forwarded-For, so the last TRUSTED_PROXY_COUNT entries were written by proxies the
site trusts and the client's address is the entry that many places from the end.
Anything before it was written by the client and is never read. An entry the trusted
proxy wrote but that is not an address (a proxy that sends "unknown") counts as the
proxy's own address: a shared limit for such requests, never one the client picks.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.checks import Warning, register

logger = logging.getLogger(__name__)


def parse_address(entry):
    """An IP address from one X-Forwarded-For entry (`ip`, `ip:port`, `[ipv6]:port`), or None."""
    entry = entry.strip()
    if entry.startswith("["):  # [2001:db8::1]:443
        entry, _, port = entry[1:].partition("]")
        if port and not (port[:1] == ":" and port[1:].isdigit()):
            return None
    elif entry.count(":") == 1:  # 192.0.2.1:51234 (an IPv6 address has several colons)
        entry, _, port = entry.partition(":")
        if not port.isdigit():
            return None
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        return None


def client_address(request):
    """The client's IP address as a string, trusting exactly TRUSTED_PROXY_COUNT proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies < 1:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: the request skipped the outer proxies, and every
    # entry was written by a trusted one; the first is the furthest client seen.
    address = parse_address(entries[-proxies] if len(entries) >= proxies else entries[0])
    return str(address) if address else remote


def client_network(address):
    """What a limit counts: an IPv4 address, or the first address of an IPv6 /64.

    IPv6 clients usually control a whole /64, so a limit per address is none at all.
    The result is a plain IP address (django-axes stores it in an address column).
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an address (a test client without one): as it is
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def axes_client(request):
    """AXES_CLIENT_IP_CALLABLE: the lockout counts clients as the rate limits do."""
    return client_network(client_address(request))


class ProxyWarningMiddleware:
    """Log a warning (once per process) when requests carry X-Forwarded-For while the
    settings trust no proxy: behind an untrusted proxy every visitor shares the
    proxy's address, and so one rate limit and one lockout."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.warned = False

    def __call__(self, request):
        if (
            not self.warned
            and settings.TRUSTED_PROXY_COUNT < 1
            and "HTTP_X_FORWARDED_FOR" in request.META
        ):
            self.warned = True
            logger.warning(
                "Requests arrive with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: every "
                "client behind the proxy shares its address (%s) for rate limits and login "
                "lockouts. Set TRUSTED_PROXY_COUNT to the number of proxies in front of the "
                "site, or make the proxy stop sending the header.",
                request.META.get("REMOTE_ADDR", ""),
            )
        return self.get_response(request)


@register(deploy=True)
def proxy_settings(app_configs, **kwargs):
    """`check --deploy`: the settings say a proxy ends TLS but trust none for addresses."""
    if settings.TRUSTED_PROXY_COUNT < 1 and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return [
            Warning(
                "TRUST_X_FORWARDED_PROTO is on (the site runs behind a proxy) but "
                "TRUSTED_PROXY_COUNT is 0: every client shares the proxy's address for "
                "rate limits and login lockouts.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the site.",
                id="spinesite.W001",
            )
        ]
    return []
