import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import sync_playwright

from spinesite.contentsnapshot import watcher
from tests.factories import UserFactory
from tests.production_support import manage, production_env
from tests.staff_support import verified_client

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # The manifest storage needs `collectstatic` first; tests serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Each test starts and ends in English: a request to a Spanish page leaves
    Spanish active in the thread (LocaleMiddleware), and reverse() follows it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_caches():
    # Each test starts from a new database, where the content version starts again;
    # pages cached by an earlier test must not be served under the same version.
    for cache in caches.all():
        cache.clear()
    yield
    # The page cache's listener too: the next test listens afresh, and none is left
    # connected to the test database when the run ends.
    watcher.close()


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    # DEBUG is off, so the settings are production's: HTTPS redirects and Secure
    # cookies. The test client and live_server speak plain HTTP, as `make serve` does;
    # tests/test_production.py checks the production values themselves. Session-wide
    # and autouse, so that it applies before live_server builds its middleware.
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture
def staff_client():
    """A client logged in as staff (second factor used), separate from `client`."""
    return verified_client(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's, with the second factor every superuser must use."""
    return verified_client(admin_user)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab that records every request it makes."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on a page; fail with its report on any WCAG 2.x A/AA violation."""
    axe = Axe()

    def check(tab):
        results = axe.run(tab, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        assert results.violations_count == 0, results.generate_report()

    return check


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic as `make serve` runs it (compressed, hashed names, a manifest),
    for tests that start gunicorn with production settings."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage("collectstatic", "--no-input", env=production_env(STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stderr
    assert (root / "staticfiles.json").exists()
    return root
