"""The permission matrix: every endpoint (each URL pattern, called with GET and POST, and each operation of
the OpenAPI document) called as each kind of person, against one table of expected answers.

The endpoints are found, not listed (``endpoints.all_endpoints``): a new page or API operation makes
``test_every_endpoint_has_a_row`` fail until someone decides, in ``TABLE``, who may use it. The objects are
named by their real ids, which anyone can guess (sequential integers), so a person outside a contract asking
for its id checks the IDOR defence. Each call runs in a savepoint that is rolled back, so every call sees the
same world, and a database execute wrapper records whether the call wrote anything.

Cells: ``ok`` 2xx, ``go`` a redirect elsewhere than log-in, ``login`` 401 or a redirect to log in, ``2fa`` a
redirect to set up two-factor authentication, else the status code (``403``, ``404``, ``405``, ``400``,
``409``, ``422``…). A trailing ``!`` means the call changed data (a page view that marks messages read, a
successful action); anything refused must not. A row with a single cell means every column.
Columns, in order (``world.ROLES``):

    anon   anonymous                    bidder  another freelancer, a bidder on the same job
    buyer  the owning buyer             susp    the awarded freelancer after a moderator suspended them
    obuy   another buyer                arb fin mod adm  staff with that one role (and 2FA)
    free   the awarded freelancer       no2fa   staff with every role but no two-factor authentication
                                        norole  Django's staff flag and 2FA, but no Haat role

Bodies: pages get an empty POST (a refused form re-renders: ``ok`` without ``!``); API operations get a body
that passes their schema (``endpoints.body_for``), so ``422``/``409`` mean "allowed to ask, and the rule said
no" while ``403``/``404`` mean "not yours".
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from haat.web.tests.permissions import world as world_module
from haat.web.tests.permissions.endpoints import Endpoint, all_endpoints, matching_row
from haat.web.tests.permissions.runner import ledger_totals, row_counts, run
from haat.web.tests.permissions.table import TABLE

ROLES = world_module.ROLES
SECRET_READERS = world_module.SECRET_READERS
# People with no part in the objects the endpoints name.
OUTSIDERS = ("other_buyer", "bidder")
DENIED = {"login", "2fa", "403", "404", "405"}
# Keywords that name the objects of other people: the IDOR rules below apply to endpoints that take one.
PUBLIC_KEYWORDS = {"user_id", "gateway", "key", "uidb36", "content_type_id", "object_id", "url", "app_label"}


def parse(table: str) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for line in table.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        method, route, *cells = line.split()
        if len(cells) == 1:
            cells = cells * len(ROLES)
        assert len(cells) == len(ROLES), f"{method} {route}: {len(cells)} cells, expected 1 or {len(ROLES)}"
        key = f"{method} {route}"
        assert key not in rows, f"{key} is in the table twice"
        rows[key] = dict(zip(ROLES, cells, strict=True))
    return rows


ROWS = parse(TABLE)


def expected(endpoint: Endpoint) -> dict[str, str]:
    row = matching_row(endpoint.key, ROWS)
    assert row is not None, f"{endpoint.key} has no row in the table"
    return ROWS[row]


def _is_staff_route(route: str) -> bool:
    """Staff work queues: a role check comes before any object, so 403 there says nothing about an id."""
    return route.startswith(("/staff/", "/admin/", "/api/v1/payout-queue")) or bool(
        re.search(r"/(mark-paid|reject|confirm|fail)/?$", route)
        and any(word in route for word in ("payouts", "deposits", "withdrawals"))
    )


def _names_private_objects(endpoint: Endpoint) -> bool:
    """Takes the id of something only its parties may know of. Job 2 is published, so the job endpoints
    count only through the IDOR probe, which names the buyer's draft instead."""
    private = set(endpoint.kwargs) - PUBLIC_KEYWORDS - {"job_id"}
    if "job_id" in endpoint.kwargs:
        private.discard("attachment_id")  # the brief of a published job is public too
    return bool(private) and not _is_staff_route(endpoint.route)


# --- The table covers exactly the site's endpoints ----------------------------------------------------------------


def test_every_endpoint_has_a_row() -> None:
    endpoints = all_endpoints()
    missing = [e.key for e in endpoints if matching_row(e.key, ROWS) is None]
    assert not missing, "Endpoints without a row in the permission table:\n" + "\n".join(missing)
    used = {matching_row(e.key, ROWS) for e in endpoints}
    stale = [row for row in ROWS if row not in used]
    assert not stale, "Rows that cover no endpoint (gone, or shadowed by their own row):\n" + "\n".join(stale)


def test_every_keyword_has_an_object() -> None:
    # The admin names its objects itself (``endpoints.url_for`` picks a row of the page's model).
    keywords = {k for e in all_endpoints() if not e.is_admin for k in e.kwargs} - PUBLIC_KEYWORDS | {
        "user_id"
    }
    missing = keywords - world_module.KEYWORDS
    assert not missing, f"URL keywords the world has no object for: {sorted(missing)}"


# --- The table itself obeys the rules (so a wrong expectation cannot be written down by accident) -------------------


def test_the_table_never_expects_a_crash_or_a_refusal_that_writes() -> None:
    bad = [
        f"{key} [{role}] {cell}"
        for key, cells in ROWS.items()
        for role, cell in cells.items()
        if cell.startswith("5") or (cell.endswith("!") and cell[:-1] in DENIED)
    ]
    assert not bad, "\n".join(bad)


def test_anonymous_visitors_change_nothing() -> None:
    bad = [key for key, cells in ROWS.items() if cells["anonymous"].endswith("!")]
    assert not bad, "\n".join(bad)


def test_outsiders_get_404_for_other_peoples_objects() -> None:
    """IDOR: another buyer asking for any non-public object by id gets 404, the answer for an unknown id: never
    403 (which confirms the object exists) and never a change."""
    bad = []
    for endpoint in all_endpoints():
        if not _names_private_objects(endpoint):
            continue
        cell = expected(endpoint)["other_buyer"]
        if cell.endswith("!") or cell == "403":
            bad.append(f"{endpoint.key}: {cell}")
    assert not bad, "\n".join(bad)


def test_staff_pages_need_the_role_and_two_factor() -> None:
    bad = []
    for key, cells in ROWS.items():
        if not key.split()[1].startswith("/staff/"):
            continue
        for role in ("buyer", "other_buyer", "freelancer", "bidder", "suspended", "staff_norole"):
            if cells[role] not in ("403", "404", "405"):
                bad.append(f"{key} [{role}] {cells[role]}")
        if cells["anonymous"] not in ("login", "405"):
            bad.append(f"{key} [anonymous] {cells['anonymous']}")
        if cells["staff_no2fa"] not in ("2fa", "405"):
            bad.append(f"{key} [staff_no2fa] {cells['staff_no2fa']}")
    assert not bad, "\n".join(bad)


# --- The calls ------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _site_settings(settings: Any) -> None:
    settings.HAAT_PAYOUTS = world_module.PAYOUTS
    settings.HAAT_GATEWAYS = ["sandbox", "manual"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_as(role: str, client: Client) -> None:
    world = world_module.build(suspend_freelancer=role == "suspended")
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    client.cookies["haat_language"] = "en"
    endpoints = all_endpoints()
    before = (row_counts(), ledger_totals())

    results = run(client, world, endpoints, world_module.SECRETS)
    if os.environ.get("HAAT_MATRIX_OBSERVED"):
        # For whoever updates the table: every answer of this column, as observed.
        path = Path(os.environ["HAAT_MATRIX_OBSERVED"]) / f"{role}.json"
        path.write_text(json.dumps({key: list(value) for key, value in results.items()}, indent=0))

    problems = []
    for endpoint in endpoints:
        answer, tables, status, seen = results[endpoint.key]
        # Private text never reaches anyone else, on any page or answer (downloads, which stream, excepted).
        problems += [
            f"{endpoint.key}: shows {name} to {role}" for name in seen if role not in SECRET_READERS[name]
        ]
        row = matching_row(endpoint.key, ROWS)
        if row is None:
            problems.append(f"{endpoint.key}: no row in the table; got {answer} (HTTP {status})")
            continue
        want = ROWS[row][role]
        if answer != want:
            problems.append(f"{endpoint.key}: expected {want}, got {answer} (HTTP {status}; wrote {tables})")
    if (row_counts(), ledger_totals()) != before:
        problems.append("a rolled-back call left something behind")

    if role in OUTSIDERS:
        # IDOR: for someone else's object the answer must be the one for an id that does not exist, so ids
        # cannot be probed. The job endpoints are asked about the buyer's draft (job 2 is public); objects
        # an outsider may see (``ok``) are left to the table.
        private = world.with_private_job()
        probed = [e for e in endpoints if set(e.kwargs) - PUBLIC_KEYWORDS and not _is_staff_route(e.route)]
        job_answers = run(client, private, [e for e in probed if "job_id" in e.kwargs])
        answers = {e.key: job_answers.get(e.key, results[e.key])[0] for e in probed}
        probed = [e for e in probed if answers[e.key].rstrip("!") != "ok"]
        ghosts = run(client, world.with_unknown_ids(), probed)
        problems += [
            f"{e.key}: {answers[e.key]} for the real id but {ghosts[e.key][0]} for an unknown one (IDOR probe)"
            for e in probed
            if answers[e.key].rstrip("!") != ghosts[e.key][0].rstrip("!")
        ]
    assert not problems, f"{len(problems)} problems for {role} ({len(endpoints)} endpoints):\n" + "\n".join(
        problems
    )


# Operations that take the browser session only (a token must not mint tokens or add a payout method), so a
# bearer token gets 401 where the session got its row's answer.
SESSION_ONLY = {"POST /api/v1/me/tokens", "POST /api/v1/payout-methods"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["buyer", "freelancer", "suspended", "finance", "staff_no2fa"])
def test_a_bearer_token_gets_the_same_answers_as_the_session(role: str, client: Client) -> None:
    """The matrix calls the API with the session cookie; programs use personal access tokens. Same person,
    same answers, except the session-only operations."""
    from haat.accounts import services as account_services

    world = world_module.build(suspend_freelancer=role == "suspended")
    person = world.people[role]
    assert person is not None
    secret = account_services.create_api_token(user=person, name="matrix").secret
    api = [e for e in all_endpoints() if e.is_api and e.operation is not None]
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    by_token = run(bearer, world, api)

    wrong = []
    for endpoint in api:
        want = expected(endpoint)[role].rstrip("!")
        if endpoint.key in SESSION_ONLY:
            want = "login"
        got = by_token[endpoint.key][0].rstrip("!")
        if got != want:
            wrong.append(f"{endpoint.key}: {got} with a token, {want} with the session")
    assert not wrong, "\n".join(wrong)


def test_the_benchmark_endpoint_is_not_mounted_outside_the_benchmarks() -> None:
    """``/bench/`` (the framework-floor endpoint: any token holder reads any job's status by id) exists only when
    ``HAAT_BENCH=1``; the test settings, like production, leave it out, so it is not in the table."""
    assert os.environ.get("HAAT_BENCH") != "1", "run the permission matrix without HAAT_BENCH=1"
    assert not [e.key for e in all_endpoints() if e.route.startswith("/bench/")]
