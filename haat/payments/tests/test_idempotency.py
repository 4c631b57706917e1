"""The Idempotency-Key middleware, on a plain write endpoint (money endpoints test it again themselves)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from haat.accounts.models import ApiToken, User
from haat.payments.idempotency import _lock_key
from haat.payments.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def _create(client: Client, name: str, key: str | None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        "/api/v1/me/tokens", json.dumps({"name": name}), content_type="application/json", **headers
    )


def test_same_key_same_body_replays_the_first_response(logged_in: Client, user: User) -> None:
    first = _create(logged_in, "laptop", "k-1")
    second = _create(logged_in, "laptop", "k-1")
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert second["Idempotent-Replayed"] == "true"
    assert ApiToken.objects.filter(user=user).count() == 1


def test_same_key_different_body_is_422(logged_in: Client, user: User) -> None:
    _create(logged_in, "laptop", "k-2")
    response = _create(logged_in, "phone", "k-2")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert ApiToken.objects.filter(user=user).count() == 1


def test_keys_are_per_user(client: Client, user: User, other_user: User) -> None:
    client.force_login(user)
    _create(client, "laptop", "shared")
    client.force_login(other_user)
    assert _create(client, "laptop", "shared").status_code == 201
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "bad\nkey"])
def test_malformed_keys_are_refused(logged_in: Client, key: str) -> None:
    response = _create(logged_in, "laptop", key)
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_failed_validation_is_remembered_too(logged_in: Client) -> None:
    first = _create(logged_in, "", "k-3")
    assert first.status_code == 422
    assert _create(logged_in, "", "k-3").content == first.content


def test_without_a_key_nothing_is_stored(logged_in: Client) -> None:
    _create(logged_in, "laptop", None)
    _create(logged_in, "laptop", None)
    assert ApiToken.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_same_key_in_flight(user: User) -> None:
    """PostgreSQL answers 409 while the first request holds the key; SQLite queues the second and replays."""
    client = Client()
    client.force_login(user)
    if connection.vendor == "postgresql":
        holding = threading.Event()
        release = threading.Event()

        def hold_the_key() -> None:
            with connections["default"].cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(user.pk, "busy")])
                holding.set()
                release.wait(30)
                cursor.execute("ROLLBACK")
            connections.close_all()

        thread = threading.Thread(target=hold_the_key)
        thread.start()
        holding.wait(30)
        try:
            response = _create(client, "laptop", "busy")
            assert response.status_code == 409
            assert not ApiToken.objects.exists()
        finally:
            release.set()
            thread.join()
        assert _create(client, "laptop", "busy").status_code == 201
    else:
        assert connection.vendor == "sqlite"
        results: list[int] = []

        def send() -> None:
            c = Client()
            c.force_login(user)
            results.append(_create(c, "laptop", "busy").status_code)
            connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [201] * 4
    assert ApiToken.objects.count() == 1
