"""One client-address function, trusting exactly TRUSTED_PROXY_COUNT proxies."""

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from spinesite.clientaddress import (
    ProxyWarningMiddleware,
    axes_client,
    client_address,
    client_network,
)

PROXY = "10.0.0.5"


def address(forwarded=None, proxies=1, remote=PROXY, settings=None):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        # Client-written entries before the proxy's are never read.
        ("1.1.1.1, 192.0.2.1", "192.0.2.1"),
        ("1.1.1.1,9.9.9.9,   192.0.2.1  ", "192.0.2.1"),
        # A proxy that appends ip:port (or [ipv6]:port).
        ("1.1.1.1, 192.0.2.1:51234", "192.0.2.1"),
        ("1.1.1.1, [2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        # Garbage where the proxy's entry should be: the proxy's own address, never
        # the client-written entry before it.
        ("1.1.1.1, garbage", PROXY),
        ("1.1.1.1, 192.0.2.1:port", PROXY),
        ("1.1.1.1, unknown", PROXY),
        ("", PROXY),
        (None, PROXY),
    ],
)
def test_behind_one_proxy(settings, forwarded, expected):
    assert address(forwarded, settings=settings) == expected


def test_no_proxy_trusted_reads_no_header(settings):
    assert address("192.0.2.1", proxies=0, remote="203.0.113.9", settings=settings) == (
        "203.0.113.9"
    )


def test_behind_two_proxies(settings):
    # client -> CDN (appends client) -> load balancer (appends CDN) -> app
    assert address("6.6.6.6, 192.0.2.1, 198.51.100.3", proxies=2, settings=settings) == (
        "192.0.2.1"
    )
    assert address("6.6.6.6, 192.0.2.1:9, 198.51.100.3", proxies=2, settings=settings) == (
        "192.0.2.1"
    )
    assert address("6.6.6.6, junk, 198.51.100.3", proxies=2, settings=settings) == PROXY
    # Straight to the inner proxy: fewer entries, all written by a trusted proxy.
    assert address("192.0.2.1", proxies=2, settings=settings) == "192.0.2.1"


def test_limits_count_ipv6_per_64(settings):
    assert client_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::"
    assert client_network("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::"
    assert client_network("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_network("192.0.2.1") == "192.0.2.1"
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert axes_client(request) == "2001:db8:1:2::"


def test_a_proxy_the_settings_do_not_trust_is_reported_once(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 0
    middleware = ProxyWarningMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    with caplog.at_level(logging.WARNING, logger="spinesite.clientaddress"):
        middleware(factory.get("/"))
        assert caplog.records == []
        for _ in range(3):
            middleware(factory.get("/", HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert len(caplog.records) == 1
    assert "TRUSTED_PROXY_COUNT is 0" in caplog.records[0].getMessage()
    assert "192.0.2.1" not in caplog.records[0].getMessage()


def test_a_trusted_proxy_is_not_reported(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    middleware = ProxyWarningMiddleware(lambda request: HttpResponse())
    with caplog.at_level(logging.WARNING, logger="spinesite.clientaddress"):
        middleware(RequestFactory().get("/", HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert caplog.records == []


def test_the_deploy_check_warns_of_a_proxy_trusted_for_https_but_not_addresses(settings):
    from django.core.checks import run_checks

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    ids = [problem.id for problem in run_checks(include_deployment_checks=True)]
    assert "spinesite.W001" in ids
    settings.TRUSTED_PROXY_COUNT = 1
    ids = [problem.id for problem in run_checks(include_deployment_checks=True)]
    assert "spinesite.W001" not in ids
