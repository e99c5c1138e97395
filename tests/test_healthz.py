"""/healthz: up or down, for load balancers; never cached, never telling more."""

import json

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db


def test_up(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, nothing else: no session, no clinic
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_down(client, monkeypatch, caplog):
    def refuse(self, sql, params=None):
        raise OperationalError('connection to server at "10.0.0.9", port 5432 failed')

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}  # no reason, no address
    assert "no-store" in response.headers["Cache-Control"]
    assert "10.0.0.9" in caplog.text  # the reason goes to the log


def test_head_works_and_other_methods_do_not(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_no_redirect_to_add_a_slash(client):
    assert client.get("/healthz/").status_code == 404
