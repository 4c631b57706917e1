"""Schemathesis against /api/v1/openapi.json: every operation, as a buyer and as a freelancer who own real data.

Each operation gets ``EXAMPLES`` generated requests per user and mode: schema-valid ones (half of them with the
path ids of real objects, so they reach the code behind the 404) and schema-violating ones. Every response must
be no 5xx, conform to the documented status codes, content types, headers and schema, and every error must be
``application/problem+json``. Unsafe requests carry an ``Idempotency-Key`` (money-moving operations need one).

The figures (operations, requests, failures) are written to ``test-output/hostile-fuzz-<database>.json``.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from haat.web.tests.hostile import world as world_module

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[4]
EXAMPLES = 8  # per operation, per user, per mode: one to two minutes per database on two shared cores
PROBLEM = "application/problem+json"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def problem_json_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx is an RFC 9457 problem with a sentence a person can act on."""
    if response.status_code < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith(PROBLEM), f"{response.status_code} answered as {content_type!r}"
    body = json.loads(response.content)
    assert body["status"] == response.status_code and body["detail"], body
    return None


CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    problem_json_errors,
]


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Requests go through the real WSGI handler; like Django's test client, keep it from closing the
    test's database connection (that would end the transaction the test runs in)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _summary(status: int, exc: BaseException) -> str:
    """The failure's kinds, the response body and the request to reproduce it, on a few lines."""
    lines = [line.strip() for line in str(exc).splitlines()]
    keep = [line for line in lines if line.startswith(("- ST", "curl", "`{")) or "required property" in line]
    return f"{status}: " + " | ".join(keep or lines[:3])[:1500]


def _fuzz_operation(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    ids: dict[str, int] | None,
    failures: dict[str, str],
) -> int:
    """Run ``EXAMPLES`` requests against one operation; return how many were sent."""
    sent = 0
    names = {p.name for p in operation.path_parameters}
    fixed = {name: value for name, value in (ids or {}).items() if name in names}
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)
    label = f"{operation.method.upper()} {operation.path} [{mode.value}{', real ids' if fixed else ''}]"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        nonlocal sent
        case.headers = {**(case.headers or {}), **headers}
        if case.method.upper() in UNSAFE:
            case.headers["Idempotency-Key"] = uuid.uuid4().hex
        response = case.call()
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as exc:  # collected, then reported together
            failures.setdefault(label, _summary(response.status_code, exc))

    # Nothing to break: an operation without parameters or body has no schema-violating request.
    with contextlib.suppress(Unsatisfiable):
        run()
    return sent


def test_every_operation_as_buyer_and_freelancer(in_test_transaction: None) -> None:
    world = world_module.build()
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    failures: dict[str, str] = {}
    requests = 0
    for user in (world.buyer, world.worker):
        for operation in operations:
            # A fresh token each time: the fuzzer may revoke its own (DELETE /me/tokens/{token_id}).
            headers = {"Authorization": f"Bearer {world_module.token(user)}"}
            has_ids = bool(operation.path_parameters)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                requests += _fuzz_operation(operation, mode, headers, None, failures)
                if has_ids and mode is GenerationMode.POSITIVE:
                    requests += _fuzz_operation(operation, mode, headers, world.ids(), failures)

    figures = {
        "database": connection.vendor,
        "operations": len(operations),
        "users": 2,
        "examples_per_operation_user_mode": EXAMPLES,
        "requests": requests,
        "failures": len(failures),
    }
    out = REPO / "test-output"
    out.mkdir(exist_ok=True)
    (out / f"hostile-fuzz-{connection.vendor}.json").write_text(
        json.dumps({**figures, "found": failures}, indent=1)
    )
    print("fuzz figures:", figures)
    assert len(operations) >= 90
    assert not failures, "\n".join(f"{label}: {text}" for label, text in sorted(failures.items()))


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name() -> None:
    """ninja names OpenAPI components by class name: two different classes with one name document one of
    them wrongly (identical copies are harmless)."""
    from ninja import Schema

    from haat.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    shapes: dict[str, dict[str, str]] = {}
    for cls in _subclasses(Schema):
        if (
            cls.__module__.startswith("haat.")
            and ".tests." not in cls.__module__
            and cls.__name__ in components
        ):
            shape = json.dumps(cls.model_json_schema(), sort_keys=True)  # type: ignore[attr-defined]
            shapes.setdefault(cls.__name__, {})[cls.__module__] = shape
    clashes = {name: sorted(found) for name, found in shapes.items() if len(set(found.values())) > 1}
    assert clashes == {}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/jobs",
        "/api/v1/me/bids",
        "/api/v1/threads",
        "/api/v1/contracts",
        "/api/v1/deposits",
        "/api/v1/jobs",
    ],
)
def test_an_offset_beyond_64_bits_is_a_422_not_a_database_error(path: str, client: Any) -> None:
    """Found by the fuzzer: unbounded offsets reached the database (500 on SQLite and PostgreSQL)."""
    world = world_module.build()
    response = client.get(
        path, {"offset": 10**20}, HTTP_AUTHORIZATION=f"Bearer {world_module.token(world.buyer)}"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "offset"


def test_ids_that_cannot_exist_and_unknown_paths_answer_a_404_problem(client: Any) -> None:
    """Found by the fuzzer: a 20-digit id was a 500 on SQLite; a path no operation matches was Django's HTML."""
    world = world_module.build()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {world_module.token(world.buyer)}"}
    for path in [
        "/api/v1/profiles/13881305614771351552",
        "/api/v1/jobs/99999999999999999999999",
        "/api/v1/nowhere",
    ]:
        response = client.get(path, **bearer)
        assert response.status_code == 404, path
        assert response["Content-Type"] == PROBLEM
        assert response.json()["detail"] == "No such object, or it is not yours."


def test_a_nul_character_in_a_search_parameter_is_refused_or_ignored(client: Any) -> None:
    """Found by the fuzzer: PostgreSQL refused the query and the API answered 500."""
    world = world_module.build()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {world_module.token(world.buyer)}"}
    response = client.get("/api/v1/freelancers", {"skill": "django\x00"}, **bearer)
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response["Content-Type"] == PROBLEM
        assert "NUL" in response.json()["detail"]
