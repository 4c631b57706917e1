"""Real processes for the fault tests: a database of their own, ``haat serve`` and ``haat worker`` started as
subprocesses in their own process group (so SIGKILL takes the gunicorn master and its workers at once), and a
small HTTP client that tells a refused connection from a request cut off mid-flight."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

READY_TIMEOUT = 90.0
ROOT = Path(__file__).resolve().parents[4]


@contextmanager
def database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a fresh, migrated database: a SQLite file under ``tmp_path``, or, when the tests run
    on PostgreSQL (``DATABASE_URL``), a database ``haat_faults_<random>`` on the same server, dropped after."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "haat.settings",
            "HAAT_DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "faults-" + uuid.uuid4().hex,
            "EMAIL_URL": "dummy://",
            "PYTHONUNBUFFERED": "1",
        }
    )
    url = os.environ.get("DATABASE_URL", "")
    name = ""
    if url.startswith("postgres"):
        name = f"haat_faults_{uuid.uuid4().hex[:10]}"
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        _admin(url, f'CREATE DATABASE "{name}"')
    try:
        run_haat(env, "migrate", "--no-input", "-v", "0")
        run_haat(env, "createcachetable")
        yield env
    finally:
        if name:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def run_haat(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``haat <args>`` in a subprocess; raises with its output when it fails and ``check`` is set."""
    done = subprocess.run(  # noqa: S603  (our own interpreter and command)
        [sys.executable, "-m", "haat", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"haat {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done


def dbtool(env: dict[str, str], command: str, **args: Any) -> Any:
    """Run a ``dbtool`` command against the server's database and return its JSON answer."""
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "haat.web.tests.faults.dbtool", command, json.dumps(args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise AssertionError(f"dbtool {command} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A ``haat`` subprocess in its own session (process group), its output appended to a log file."""

    def __init__(self, env: dict[str, str], args: list[str], log: Path) -> None:
        self.env, self.args, self.log = env, args, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603  (our own interpreter and command)
                [sys.executable, "-m", "haat", *self.args],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handler, no graceful anything."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Server(Process):
    """``haat serve`` on a free port of 127.0.0.1."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        super().__init__(
            env,
            [
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            log,
        )

    def start(self) -> None:
        super().start()
        self.wait_ready()

    def wait_ready(self) -> None:
        """Poll ``/healthz`` until it answers 200."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(f"haat serve exited; see {self.log}:\n{self.log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)  # polling interval while gunicorn boots
        raise AssertionError(f"haat serve did not become ready; see {self.log}")


class CutOff(Exception):
    """The connection was refused or dropped: the server is down (``mid_request`` when it died while the
    request was in flight, so it may or may not have been applied)."""

    def __init__(self, mid_request: bool) -> None:
        super().__init__("cut off mid-request" if mid_request else "refused")
        self.mid_request = mid_request


@dataclass
class Answer:
    status: int
    body: Any
    replayed: bool


def call(
    port: int,
    method: str,
    path: str,
    *,
    token: str,
    key: str | None = None,
    body: bytes = b"",
    content_type: str = "application/json",
    timeout: float = 60.0,
) -> Answer:
    """One HTTP request on a fresh connection."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    if key is not None:
        headers["Idempotency-Key"] = key
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            conn.connect()
        except ConnectionRefusedError as exc:
            raise CutOff(mid_request=False) from exc
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (http.client.RemoteDisconnected, ConnectionError, http.client.IncompleteRead) as exc:
            raise CutOff(mid_request=True) from exc
    finally:
        conn.close()
    try:
        parsed: Any = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(response.status, parsed, response.getheader("Idempotent-Replayed") == "true")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body with a fixed boundary, so a replay sends the very same bytes."""
    boundary = "haatfaultsboundary7MA4YWxkTrZu0gW"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, ctype) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def scalar(env: dict[str, str], sql: str) -> int:
    """One number from the server's database, read directly (cheap enough to poll)."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(sql).fetchone()
    else:
        import sqlite3

        conn3 = sqlite3.connect(Path(env["HAAT_DATA_DIR"]) / "haat.sqlite3", timeout=20)
        try:
            row = conn3.execute(sql).fetchone()
        finally:
            conn3.close()
    assert row is not None
    return int(row[0])
