"""Money under faults: a stream of fundings, deliveries, releases, partial acceptances, refunds and withdrawals
runs through a real ``haat serve`` (gunicorn) that is SIGKILLed at random points and restarted; the request
that was cut off is retried with its Idempotency-Key, and at the end every request of the stream is replayed.

Afterwards ``haat ledger verify`` must be clean and every operation applied exactly once: the transfers
counted by code, the milestones by status, the withdrawals, and both parties' balances to the cent.

``HAAT_CRASH_ITERATIONS`` (default 20) sets the number of kills; ``HAAT_CRASH_SEED`` the random seed.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from haat.web.tests.faults import dbtool, harness
from haat.web.tests.faults.conftest import record_figures

pytestmark = pytest.mark.faults

ITERATIONS = int(os.environ.get("HAAT_CRASH_ITERATIONS", "20"))
SEED = int(os.environ.get("HAAT_CRASH_SEED", "20261125"))
AMOUNT = dbtool.MILESTONE_AMOUNT
BUYER_FEE, FREELANCER_FEE = 300, 1_000  # 3 % and 10 % of US$100.00
PARTIAL = 60  # percent accepted in a partial acceptance
WITHDRAWAL, WITHDRAWAL_FEE = 5_000, 300  # Payoneer: US$3.00 fixed fee
BUSY_RETRIES = 200


@dataclass
class Step:
    """One request of the stream; ``build`` makes (path, body, content type) from earlier answers."""

    key: str
    who: str  # "buyer" or "freelancer"
    build: Callable[[dict[str, harness.Answer]], tuple[str, bytes, str]]


def _json(path: str, payload: dict[str, Any] | None = None) -> Callable[..., tuple[str, bytes, str]]:
    body = json.dumps(payload).encode() if payload is not None else b""
    return lambda answers: (path, body, "application/json")


def _work_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shop/index.html", "<h1>Saris</h1>\n" * 20)
    return buffer.getvalue()


def _deliver(milestone: int) -> Callable[..., tuple[str, bytes, str]]:
    body, ctype = harness.multipart({"note": "Done."}, {"file": ("work.zip", _work_zip(), "application/zip")})
    return lambda answers: (f"/api/v1/milestones/{milestone}/deliveries", body, ctype)


def _answer(ask_key: str) -> Callable[[dict[str, harness.Answer]], tuple[str, bytes, str]]:
    def build(answers: dict[str, harness.Answer]) -> tuple[str, bytes, str]:
        request_id = answers[ask_key].body["id"]
        return f"/api/v1/cancellation-requests/{request_id}/answer", b'{"agree": true}', "application/json"

    return build


def plan(rng: random.Random, seeded: dict[str, Any], units: int) -> tuple[list[Step], dict[str, int]]:
    """The stream: ``units`` business operations of random kinds, interleaved at random, each in order."""
    milestones = [m for c in seeded["contracts"] for m in c["milestones"]]
    kinds = {"release": 0, "partial": 0, "refund": 0, "withdrawal": 0}
    queues: list[list[Step]] = []
    for unit in range(units):
        kind = rng.choices(list(kinds), weights=[35, 15, 25, 25])[0]
        if kind != "withdrawal" and not milestones:
            kind = "withdrawal"
        kinds[kind] += 1
        k = f"u{unit}"
        if kind == "withdrawal":
            body = {"payout_method_id": seeded["payout_method"], "amount": WITHDRAWAL, "currency": "USD"}
            queues.append([Step(f"{k}-withdraw", "buyer", _json("/api/v1/withdrawals", body))])
            continue
        m = milestones.pop(0)
        steps = [Step(f"{k}-fund", "buyer", _json(f"/api/v1/milestones/{m}/fund"))]
        if kind == "refund":
            steps += [
                Step(f"{k}-ask", "freelancer", _json(f"/api/v1/milestones/{m}/cancellation-requests", {})),
                Step(f"{k}-agree", "buyer", _answer(f"{k}-ask")),
            ]
        else:
            steps.append(Step(f"{k}-deliver", "freelancer", _deliver(m)))
            percent = {"percent": PARTIAL} if kind == "partial" else {}
            steps.append(Step(f"{k}-accept", "buyer", _json(f"/api/v1/milestones/{m}/accept", percent)))
            if kind == "partial":
                steps.append(Step(f"{k}-agree", "freelancer", _json(f"/api/v1/milestones/{m}/agree-partial")))
        queues.append(steps)
    stream: list[Step] = []
    open_queues: list[list[Step]] = []
    while queues or open_queues:
        while queues and len(open_queues) < 4:
            open_queues.append(queues.pop(0))
        queue = rng.choice(open_queues)
        stream.append(queue.pop(0))
        if not queue:
            open_queues.remove(queue)
    return stream, kinds


class Client:
    """Sends steps, remembering the first answer to each key; waits out a key that is still being processed
    (409 from PostgreSQL's advisory lock, left by a connection the kill has not yet closed)."""

    def __init__(self, server: harness.Server, tokens: dict[str, str]) -> None:
        self.server, self.tokens = server, tokens
        self.answers: dict[str, harness.Answer] = {}
        self.sent = 0
        self.busy = 0

    def send(self, step: Step) -> harness.Answer:
        path, body, ctype = step.build(self.answers)
        for _ in range(BUSY_RETRIES):
            self.sent += 1
            answer = harness.call(
                self.server.port,
                "POST",
                path,
                token=self.tokens[step.who],
                key=step.key,
                body=body,
                content_type=ctype,
            )
            if answer.status == 409 and "still being processed" in str(answer.body):
                self.busy += 1
                time.sleep(0.05)  # polling interval until the dead request's lock is gone
                continue
            return answer
        raise AssertionError(f"{step.key} stayed busy")


def test_crash_loop_applies_every_operation_exactly_once(haat_env: dict[str, str], tmp_path: Path) -> None:
    rng = random.Random(SEED)
    started = time.monotonic()
    units = max(ITERATIONS, 10)
    contracts = math.ceil(units * 0.8 / dbtool.MILESTONES_PER_CONTRACT) + 1
    seeded = harness.dbtool(haat_env, "seed", contracts=contracts)
    stream, kinds = plan(rng, seeded, units)
    server = harness.Server(haat_env, tmp_path / "serve.log")
    client = Client(server, {"buyer": seeded["buyer_token"], "freelancer": seeded["freelancer_token"]})
    server.start()
    cursor = kills = mid_request = applied_unseen = 0
    try:
        while kills < ITERATIONS and cursor < len(stream):
            target = cursor + rng.randint(0, 3)
            delay = rng.uniform(0.0, 0.06)
            reached = threading.Event()

            def killer(reached: threading.Event = reached, delay: float = delay) -> None:
                reached.wait(timeout=300)
                time.sleep(delay)  # a random point (seeded) inside or after the target request
                server.kill()

            thread = threading.Thread(target=killer)
            thread.start()
            try:
                while cursor < len(stream):
                    if cursor >= target:
                        reached.set()
                    step = stream[cursor]
                    answer = client.send(step)
                    first_time = step.key not in client.answers
                    assert answer.status < 300, f"{step.key}: {answer.status} {answer.body}"
                    if answer.replayed and first_time:
                        applied_unseen += 1  # the crash lost the response, not the work
                    client.answers.setdefault(step.key, answer)
                    cursor += 1
            except harness.CutOff as cut:
                mid_request += cut.mid_request
            reached.set()
            thread.join()
            kills += 1
            server.start()
        for step in stream[cursor:]:  # the rest of the stream, without kills
            answer = client.send(step)
            assert answer.status < 300, f"{step.key}: {answer.status} {answer.body}"
            client.answers.setdefault(step.key, answer)
        # Replay every request: nothing may run twice, and each answer is the first one.
        for step in stream:
            answer = client.send(step)
            assert answer.replayed, f"{step.key} ran again: {answer.status} {answer.body}"
            assert (answer.status, answer.body) == (
                client.answers[step.key].status,
                client.answers[step.key].body,
            )
    finally:
        server.kill()

    verify = harness.run_haat(haat_env, "ledger", "verify", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    report = harness.dbtool(haat_env, "report", buyer=seeded["buyer"], freelancer=seeded["freelancer"])
    funded = kinds["release"] + kinds["partial"] + kinds["refund"]
    released = kinds["release"] + kinds["partial"]
    expected = {
        "deposit": 1,
        "escrow_funding": funded,
        "buyer_fee": funded,
        "release": released,
        "freelancer_fee": released,
        "refund": kinds["refund"] + kinds["partial"],
        "withdrawal": kinds["withdrawal"],
        "withdrawal_fee": kinds["withdrawal"],
    }
    assert report["transfers"] == {code: n for code, n in expected.items() if n}
    assert report["milestones"].get("accepted", 0) == released
    assert report["milestones"].get("refunded", 0) == kinds["refund"]
    assert report["withdrawals"] == kinds["withdrawal"]
    share = AMOUNT * PARTIAL // 100
    assert report["buyer_wallet"] == (
        seeded["deposit"]
        - funded * (AMOUNT + BUYER_FEE)
        + kinds["refund"] * AMOUNT
        + kinds["partial"] * (AMOUNT - share)
        - kinds["withdrawal"] * (WITHDRAWAL + WITHDRAWAL_FEE)
    )
    assert report["freelancer_clearing"] == (
        kinds["release"] * (AMOUNT - FREELANCER_FEE) + kinds["partial"] * (share - share // 10)
    )
    assert kills >= min(ITERATIONS, 1)
    record_figures(
        "crash-loop",
        {
            "seed": SEED,
            "kills": kills,
            "kills_mid_request": mid_request,
            "applied_but_response_lost": applied_unseen,
            "busy_409_waits": client.busy,
            "operations": kinds,
            "stream_requests": len(stream),
            "requests_sent": client.sent,
            "server_starts": server.starts,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
