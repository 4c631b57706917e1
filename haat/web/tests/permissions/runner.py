"""Run every endpoint as one person, each call in a savepoint that is rolled back, and record what happened:
the answer's class (see ``endpoints.outcome``) and whether the call wrote to the database.

Writes are seen by a database execute wrapper (every INSERT, UPDATE and DELETE, whichever code sent it);
the session and cache tables are not the site's data and are ignored. Each answer is ``"<class>"`` or
``"<class>!"`` when the call changed data.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client

from haat.ledger.models import Account, Transfer
from haat.web.tests.permissions.endpoints import Endpoint, call, outcome
from haat.web.tests.permissions.world import World

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# Not the site's data: sessions, the cache, and the Idempotency-Key replay store (every unsafe API call
# records its key and answer, refusals included, so that a retry gets the same answer).
NOT_DATA = {"django_session", "haat_cache", "payments_idempotencykey"}


class WriteLog:
    def __init__(self) -> None:
        self.tables: list[str] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITE.match(sql)
        if match and match.group(1) not in NOT_DATA:
            self.tables.append(match.group(1))
        return execute(sql, params, many, context)


@contextmanager
def rolled_back() -> Iterator[None]:
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def row_counts() -> dict[str, int]:
    """How many rows every model of the site has."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions",) and model._meta.managed
    }


def ledger_totals() -> tuple[Any, ...]:
    totals = Account.objects.aggregate(
        dp=Sum("debits_pending"),
        dpo=Sum("debits_posted"),
        cp=Sum("credits_pending"),
        cpo=Sum("credits_posted"),
    )
    return (*totals.values(), Transfer.objects.count())


def secure_headers(response: Any) -> bool:
    """The headers every HTML page carries: a same-origin CSP that forbids framing, no sniffing, no framing."""
    csp = response.get("Content-Security-Policy", "")
    return (
        "default-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and response.get("X-Frame-Options") == "DENY"
        and response.get("X-Content-Type-Options") == "nosniff"
    )


def run(
    client: Client, world: World, endpoints: list[Endpoint], secrets: dict[str, bytes] | None = None
) -> dict[str, tuple[str, list[str], int, list[str]]]:
    """Call each endpoint once; return key -> (answer, tables written, status code, names of the ``secrets``
    whose text was in the answer)."""
    results: dict[str, tuple[str, list[str], int, list[str]]] = {}
    for endpoint in endpoints:
        cookies = copy.deepcopy(client.cookies)
        log = WriteLog()
        with rolled_back(), connection.execute_wrapper(log):
            response = call(client, endpoint, world)
        client.cookies = cookies  # a log-out or a language switch must not leak into the next call
        answer = outcome(endpoint, response)
        body = b"" if getattr(response, "streaming", False) else response.content
        seen = [name for name, text in (secrets or {}).items() if text in body]
        if response.get("Content-Type", "").startswith("text/html") and not secure_headers(response):
            seen.append("a page without the security headers")
        results[endpoint.key] = (
            answer + ("!" if log.tables else ""),
            sorted(set(log.tables)),
            response.status_code,
            seen,
        )
    return results
