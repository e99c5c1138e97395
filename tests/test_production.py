"""Production settings: read from a clean environment in a fresh process, as a server
starts, so that nothing the tests change can hide a wrong default."""

import gc
import multiprocessing
import os
import re
import runpy
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.production_support import (
    BASE_DIR,
    Browser,
    assert_security_headers,
    database_url,
    free_port,
    manage,
    production_env,
    python,
    settings_in,
)

# Deploy check
# ------------------------------------------------------------------------------


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS:" not in output and "ERRORS:" not in output, output
    assert "(0 silenced)" in output


def test_deploy_check_fails_when_https_settings_are_off():
    env = production_env(SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


# Secrets and required settings
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "extra"),
    [
        ("SECRET_KEY", {}),
        ("DATABASE_URL", {}),
        (
            "AWS_S3_ACCESS_KEY_ID",
            {"AWS_STORAGE_BUCKET_NAME": "clinic-media", "AWS_S3_SECRET_ACCESS_KEY": "s"},
        ),
        (
            "AWS_S3_SECRET_ACCESS_KEY",
            {"AWS_STORAGE_BUCKET_NAME": "clinic-media", "AWS_S3_ACCESS_KEY_ID": "k"},
        ),
    ],
)
def test_a_missing_secret_stops_start_up_naming_it(missing, extra):
    env = production_env(**extra)
    env.pop(missing, None)
    result = manage("check", env=env)
    assert result.returncode != 0
    assert re.search(rf"ImproperlyConfigured: {missing} must be set", result.stderr), result.stderr


def test_no_secret_has_a_default_in_production():
    # Given everything, start-up works: the failures above are about the missing one.
    assert manage("check", env=production_env()).returncode == 0


def test_bad_numbers_and_admin_paths_stop_start_up_naming_the_setting():
    result = manage("check", env=production_env(DB_POOL_MAX_SIZE="lots"))
    assert "DB_POOL_MAX_SIZE must be a whole number" in result.stderr
    result = manage("check", env=production_env(ADMIN_URL="admin area/"))
    assert "ADMIN_URL must be a path" in result.stderr


# Security settings
# ------------------------------------------------------------------------------


def test_production_defaults():
    values = settings_in(
        production_env(),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_ENGINE",
        "AXES_HANDLER",
        "ADMIN_URL",
        "STORAGES",
    )
    assert values["DEBUG"] is False
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        assert values[name] is True, name
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    # Never trust X-Forwarded-Proto unless told to.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    # Shared state lives in PostgreSQL: sessions and lockouts.
    assert values["SESSION_ENGINE"] == "spinesite.sessions"  # the database engine, checked keys
    assert values["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    assert values["ADMIN_URL"] == "admin/"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_switches_for_local_http_and_proxies():
    values = settings_in(
        production_env(
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            SECURE_HSTS_PRELOAD="false",
            SECURE_HSTS_SECONDS="600",
            TRUST_X_FORWARDED_PROTO="true",
            ADMIN_URL="/clinic-staff/",
        ),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_PRELOAD",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "ADMIN_URL",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "ADMIN_URL": "clinic-staff/",
    }


def test_admin_lives_at_admin_url():
    code = (
        "from django.urls import Resolver404, resolve, reverse\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no /admin/')\n"
    )
    result = python(code, production_env(ADMIN_URL="clinic-staff"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["/clinic-staff/", "no /admin/"]


# Database
# ------------------------------------------------------------------------------


def test_database_pool_and_timeouts_come_from_the_environment():
    values = settings_in(
        production_env(
            DB_POOL_MIN_SIZE="2",
            DB_POOL_MAX_SIZE="6",
            DB_POOL_TIMEOUT="3",
            DB_CONNECT_TIMEOUT="4",
            DB_STATEMENT_TIMEOUT_MS="5000",
        ),
        "DATABASES",
    )
    default = values["DATABASES"]["default"]
    assert default["CONN_MAX_AGE"] == 0  # the pool and persistent connections exclude each other
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 3}
    assert default["OPTIONS"]["connect_timeout"] == 4
    assert default["OPTIONS"]["options"] == "-c statement_timeout=5000"


def test_the_pool_can_be_turned_off_for_pgbouncer():
    values = settings_in(production_env(DB_POOL_MAX_SIZE="0"), "DATABASES")
    assert "pool" not in values["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.django_db
def test_connections_come_from_the_pool_with_a_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "15s"
    assert connection.pool is not None
    assert connection.pool.max_size == 4


@pytest.mark.django_db
def test_a_stuck_query_is_cancelled_by_the_statement_timeout():
    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict), DB_STATEMENT_TIMEOUT_MS="300"
    )
    code = (
        "from django.db import connection, OperationalError\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(5)')\n"
        "except OperationalError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    result = python(code, env)
    assert result.returncode == 0, result.stderr
    # PostgreSQL's own message says the timeout, not the sleep's end, stopped it; no
    # clock is read, so a busy machine cannot fail the test.
    assert result.stdout.startswith(
        "OperationalError canceling statement due to statement timeout"
    )


# Uploads in object storage
# ------------------------------------------------------------------------------

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "clinic-media",
    "AWS_S3_ACCESS_KEY_ID": "key-id",
    "AWS_S3_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_REGION_NAME": "us-east-1",
}
STORAGE_REPORT = (
    "from django.conf import settings\n"
    "from django.core.files.storage import storages\n"
    "storage = storages['default']\n"
    "print(type(storage).__name__)\n"
    "print(storage.url('uploads/photo.png'))\n"
    "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))\n"
    "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['media-src']))\n"
    "print(storage.get_object_parameters('uploads/photo.png'))\n"
    "print(storage.get_object_parameters('uploads/page.svg'))\n"
)


@pytest.mark.parametrize(
    ("extra", "origin"),
    [
        (
            {"AWS_S3_ENDPOINT_URL": "https://fra1.storage.example.net"},
            "https://fra1.storage.example.net",
        ),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.clinic.example"}, "https://media.clinic.example"),
        ({}, "https://clinic-media.s3.amazonaws.com"),
    ],
)
def test_uploads_go_to_object_storage_when_a_bucket_is_set(extra, origin):
    result = python(STORAGE_REPORT, production_env(**S3_ENV, **extra))
    assert result.returncode == 0, result.stderr
    name, url, img_src, media_src, png, svg = result.stdout.strip().split("\n")
    assert name == "MediaStorage"
    assert url.split("?")[0].endswith("/media/uploads/photo.png")
    # The CSP lets pages show what the storage serves, and nothing else new.
    assert "/".join(url.split("/")[:3]) == origin
    assert img_src.split()[0] == media_src.split()[0] == "'self'"
    assert origin in img_src.split() and origin in media_src.split()
    assert "'image/png'" in png and "ContentDisposition" not in png
    assert "'application/octet-stream'" in svg
    assert "'ContentDisposition': 'attachment; filename=\"page.svg\"'" in svg


def test_uploads_stay_on_disk_without_a_bucket():
    result = python(STORAGE_REPORT.split("print(storage.get_object")[0], production_env())
    assert result.returncode == 0, result.stderr
    name, url, img_src, media_src = result.stdout.strip().split("\n")
    assert name == "CleanFileSystemStorage"  # FileSystemStorage, cleaning up after errors
    assert url == "/media/uploads/photo.png"
    assert img_src == media_src == "'self'"


# gunicorn and `make serve`
# ------------------------------------------------------------------------------


def gunicorn_config(**env):
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_gunicorn_config():
    config = gunicorn_config(WEB_CONCURRENCY="", GUNICORN_BIND="")
    assert config["wsgi_app"] == "spinesite.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == min(2 * multiprocessing.cpu_count() + 1, 12)
    assert config["timeout"] == 30
    # Slow clients wait in a poller, not in a worker (gunicorn.conf.py says why).
    assert config["worker_class"] == "gthread"
    assert config["threads"] == 4
    assert "max_requests" not in config  # gunicorn's default, 0: see gunicorn.conf.py
    frozen = gc.get_freeze_count()
    config["post_worker_init"](worker=None)
    try:
        assert gc.get_freeze_count() > frozen  # loaded code is out of the collector's way
    finally:
        gc.unfreeze()
    # The path without its query string, and no referrer, in the access log.
    assert "%(U)s" in config["access_log_format"]
    for leaky in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert leaky not in config["access_log_format"]
    assert gunicorn_config(WEB_CONCURRENCY="3")["workers"] == 3


@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_the_site_under_gunicorn(tmp_path):
    """`make serve` as a newcomer runs it: no SECRET_KEY, so one is made and kept in
    .secret_key; DEBUG off; static files collected; gunicorn on the given address."""
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DATABASE_URL": database_url(connection.settings_dict),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = (tmp_path / "serve.log").open("wb")
    make = subprocess.Popen(
        # -o: never reinstall the venv from a test, whatever pyproject.toml's date.
        ["make", "-o", ".venv/bin/.installed", "serve"],  # noqa: S607
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        browser = Browser()
        response = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and make.poll() is None:
            try:
                response = browser.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "serve.log").read_text()
        assert response is not None, output
        assert response.status == 200, output
        assert "Starting gunicorn" in output
        # The task worker runs beside it (the emails to staff).
        deadline = time.monotonic() + 30
        while "Starting worker" not in output and time.monotonic() < deadline:
            time.sleep(0.2)
            output = (tmp_path / "serve.log").read_text()
        assert "Starting worker" in output, output
        assert_security_headers(response.headers)
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', response.text)
        assert stylesheet, "static files are not the hashed, collected ones"
        css = browser.get(
            f"http://127.0.0.1:{port}{stylesheet.group(1)}", headers={"Accept-Encoding": "br"}
        )
        assert css.headers["Content-Encoding"] == "br"
        # Hashed names change with the content, so browsers may keep them for good.
        assert "immutable" in css.headers["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", css.headers["Cache-Control"]).group(1)) >= 31536000
        key_file = Path(BASE_DIR / ".secret_key")
        assert len(key_file.read_text().strip()) >= 50
        assert stat.S_IMODE(key_file.stat().st_mode) & 0o077 == 0
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=30)
        log.close()
    # Stopping it stops everything it started, the worker included.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(make.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("make serve left processes running")


def test_settings_for_tests_are_plain_http():
    """The tests' own settings (tests/conftest.py): plain HTTP like `make serve`."""
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False
