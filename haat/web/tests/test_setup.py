"""Configuration from the environment, the database settings, the demo command and e-mail over SMTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from haat import demo
from haat.accounts.models import Profile, User
from haat.bids.models import Bid
from haat.contracts.models import ChangeRequest, Contract, ContractStatus, Delivery, MilestoneStatus
from haat.jobs.models import Job, JobStatus
from haat.ledger import selectors as ledger_selectors
from haat.ledger import services as ledger_services
from haat.reputation.models import Review

REPO = Path(__file__).resolve().parents[3]


def _settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    """Import haat.settings fresh with the given environment and print one expression."""
    code = f"import haat.settings as s; print({expression})"
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG", "EMAIL_URL"}
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return result.stdout.strip()


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path: Path) -> None:
    env = {"HAAT_DATA_DIR": str(tmp_path)}
    first = _settings_in_subprocess(env, "s.SECRET_KEY")
    second = _settings_in_subprocess(env, "s.SECRET_KEY")
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_environment_overrides(tmp_path: Path) -> None:
    env = {
        "HAAT_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "from-env",
        "DEBUG": "on",
        "ALLOWED_HOSTS": "haat.example.com, www.haat.example.com",
        "DATABASE_URL": "postgres://haat:pw@db.internal:5432/haat",
        "EMAIL_URL": "smtp://mailer:secret@smtp.internal:587/?tls=True",
    }
    out = _settings_in_subprocess(
        env,
        "s.SECRET_KEY, s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
        "s.DATABASES['default']['HOST'], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS",
    )
    assert out == (
        "from-env True ['haat.example.com', 'www.haat.example.com'] django.db.backends.postgresql "
        "db.internal smtp.internal 587 True"
    )


def test_defaults_are_safe(tmp_path: Path) -> None:
    out = _settings_in_subprocess(
        {"HAAT_DATA_DIR": str(tmp_path)}, "s.DEBUG, s.DATABASES['default']['NAME'].endswith('haat.sqlite3')"
    )
    assert out == "False True"


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "HAAT_DATA_DIR": str(tmp_path),
        "HTTPS": "on",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x7Rq9" * 10,
        "ALLOWED_HOSTS": "haat.example.com",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "haat", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, DEBUG="off", HAAT_GATEWAYS="manual")
    assert result.returncode == 0, result.stdout + result.stderr
    # No warning at all, and none hidden through SILENCED_SYSTEM_CHECKS.
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_refuses_debug(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, DEBUG="on")
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_check_deploy_refuses_the_sandbox_gateway(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, HAAT_GATEWAYS="sandbox,manual")
    assert result.returncode != 0
    assert "haat.E001" in result.stdout + result.stderr


@pytest.mark.django_db
def test_database_connection_settings() -> None:
    """SQLite: WAL and IMMEDIATE transactions. PostgreSQL: psycopg 3 at READ COMMITTED."""
    if connection.vendor == "postgresql":
        assert connection.Database.__name__ == "psycopg"  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            assert cursor.fetchone()[0] == "read committed"
        return
    assert connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_demo_creates_people_and_is_idempotent() -> None:
    call_command("demo", verbosity=0)
    counts = (User.objects.count(), Profile.objects.count())
    assert counts[0] == len(demo.BUYERS) + len(demo.FREELANCERS) + len(demo.STAFF_ROLES)
    open_jobs = Job.objects.filter(status=JobStatus.OPEN)
    assert open_jobs.count() == len(demo.DEMO_JOBS)
    assert open_jobs.values("category__parent").distinct().count() >= 4  # across the categories
    assert Bid.objects.count() == len(demo.DEMO_BIDS) + len(demo.DEMO_CONTRACTS)  # one bid per demo contract
    freelancer = Profile.objects.get(user__email="freelancer2@demo.haat.localhost")
    assert freelancer.display_name == "নুসরাত জাহান"
    assert freelancer.skills.filter(slug="logo-design").exists()
    buyer = User.objects.get(email="buyer1@demo.haat.localhost")
    assert buyer.check_password(demo.DEMO_PASSWORD)
    wallet = ledger_services.wallet(buyer, "USD")
    assert ledger_selectors.balance(wallet).available == 250_000
    call_command("demo", verbosity=0)
    assert (User.objects.count(), Profile.objects.count()) == counts
    assert ledger_selectors.balance(wallet).available == 250_000  # no second deposit
    assert Job.objects.count() == len(demo.DEMO_JOBS) + len(demo.DEMO_CONTRACTS)  # no second set of jobs
    assert ledger_selectors.verify().ok
    # Contracts in every state, made through the services, and not made twice.
    contracts = {c.job.title: c for c in Contract.objects.select_related("job")}
    assert len(contracts) == len(demo.DEMO_CONTRACTS)
    seen = {}
    for state, title, *_ in demo.DEMO_CONTRACTS:
        contract = contracts[title]
        milestone = contract.milestones.get()
        seen[state] = (contract.status, milestone.status)
    assert seen == {
        "awaiting_funding": (ContractStatus.AWAITING_FUNDING, MilestoneStatus.AWAITING_FUNDING),
        "funded": (ContractStatus.ACTIVE, MilestoneStatus.FUNDED),
        "delivered": (ContractStatus.ACTIVE, MilestoneStatus.DELIVERED),
        "changes_requested": (ContractStatus.ACTIVE, MilestoneStatus.CHANGES_REQUESTED),
        "completed": (ContractStatus.COMPLETED, MilestoneStatus.ACCEPTED),
        "cancelled": (ContractStatus.CANCELLED, MilestoneStatus.CANCELLED),
        "disputed": (ContractStatus.DISPUTED, MilestoneStatus.DELIVERED),
    }
    delivered = Delivery.objects.filter(milestone__contract__in=contracts.values())
    assert delivered.count() == 4 and all(d.entry_count == 2 and len(d.sha256) == 64 for d in delivered)
    assert ChangeRequest.objects.filter(
        milestone__contract=contracts["Logo for Coastal Foods Express"]
    ).exists()
    completed = contracts["Speed up our WordPress shop"]
    released = completed.milestones.get()
    assert released.released_amount == completed.price
    assert Review.objects.filter(contract=completed).count() == 2
    assert all(r.published_at is not None for r in Review.objects.filter(contract=completed))
    escrow = ledger_services.escrow(completed.escrow_reference, "USD")
    assert ledger_selectors.balance(escrow).available == 0
    funded = contracts["Product listings for 300 spices"]
    held = ledger_selectors.balance(ledger_services.escrow(funded.escrow_reference, "USD")).available
    assert held == funded.price


@pytest.mark.django_db
def test_demo_if_empty_leaves_a_used_database_alone(user: User) -> None:
    call_command("demo", "--if-empty", verbosity=0)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_verification_mail_goes_out_over_real_smtp(settings: object, client: object) -> None:
    """Sign-up through an SMTP server (aiosmtpd) as production would send it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[object] = []

    class Collect(Message):
        def handle_message(self, message: object) -> None:
            received.append(message)

    with socket.socket() as probe:  # a free port for this test run
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
        settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
        settings.EMAIL_PORT = port  # type: ignore[attr-defined]
        settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
        response = client.post(  # type: ignore[attr-defined]
            "/accounts/signup/",
            {
                "email": "smtp@example.com",
                "password1": "a-long-pass-phrase-1",
                "password2": "a-long-pass-phrase-1",
            },
        )
        assert response.status_code == 302
    finally:
        controller.stop()
    assert len(received) == 1
    message = received[0]
    assert message["To"] == "smtp@example.com"  # type: ignore[index]
    assert "/accounts/confirm-email/" in message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    assert mail.outbox == []
