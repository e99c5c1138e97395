"""No patient data in PostgreSQL's server log, Django's SQL log or gunicorn's access log."""

import glob
import logging
import os
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from contact.models import ConsultationRequest
from tests.contact_support import form_token, valid_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def server_logs():
    """PostgreSQL's log files: the logging collector's, else Debian's /var/log/postgresql."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_logfile(), current_setting('data_directory')")
        current, data_dir = cursor.fetchone()
    if current:
        return [Path(data_dir) / current if not os.path.isabs(current) else Path(current)]
    return [Path(p) for p in glob.glob("/var/log/postgresql/postgresql-*.log")]


def unique_patient():
    tag = uuid.uuid4().hex[:10]
    return {
        "name": f"Ximena Logcheck {tag}",
        "phone": f"(555) 010-{int(tag[:4], 16) % 10000:04d}",
        "email": f"x.{tag}@example.org",
        "message": f"Numb left foot {tag}, worse on stairs.",
    }


def test_a_form_sent_twice_puts_no_field_value_in_the_postgresql_log(client):
    logs = server_logs()
    readable = [p for p in logs if os.access(p, os.R_OK)]
    if not readable:
        pytest.fail(f"Cannot read PostgreSQL's log ({logs}); run the tests as root, as CI does.")
    sizes = {path: path.stat().st_size for path in readable}

    patient = unique_patient()
    data = valid_data(**patient, started=form_token())
    assert client.post("/contact/", data).status_code == 302
    assert client.post("/contact/", data).status_code == 302  # the double click
    assert ConsultationRequest.objects.filter(name=patient["name"]).count() == 1

    # A marker error proves that this is the log that statements are written to.
    marker = f"logcheck-marker-{uuid.uuid4().hex}"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SELECT 1 / 0 AS "{marker}"')  # noqa: S608 - our own marker

    written = ""
    for path, size in sizes.items():
        with path.open("rb") as log:
            log.seek(size)
            written += log.read().decode("utf-8", "replace")
    assert marker in written, "the marker error did not reach the log files read"
    assert [value for value in patient.values() if value in written] == []


def test_django_never_logs_sql_with_values(client, settings, caplog):
    """With DEBUG on, django.db.backends logs each query with its values at DEBUG
    level; Django's own "django" logger stays at INFO, whatever LOG_LEVEL says, and
    this checks that nothing here lowers it."""
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    patient = unique_patient()
    assert client.post("/contact/", valid_data(**patient)).status_code == 302
    text = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert [value for value in patient.values() if value in text] == []


def test_gunicorn_logs_paths_without_query_strings():
    """An admin search for a patient's name is a query string: gunicorn must not log it."""
    namespace = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config
    log_format = namespace["access_log_format"]
    assert "%(U)s" in log_format
    for field in ("%(r)s", "%(q)s", "%(f)s", "%({"):
        assert field not in log_format
