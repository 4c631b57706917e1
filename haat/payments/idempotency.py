"""``Idempotency-Key`` for API calls that move money (the Stripe model).

- same key + same request → the first response is replayed (status, body, content type);
- same key + a different request → 422 problem;
- same key while the first request is still running → 409 problem (PostgreSQL; SQLite runs writers one at
  a time, so the second request simply waits and then replays);
- the key is claimed in the same database transaction as the work: a crash leaves neither the key nor the
  work, and the retry runs the work again.

Keys are scoped per user and kept for ``IDEMPOTENCY_KEY_TTL`` (default 24 hours).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse

from haat.accounts import services as account_services
from haat.payments.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _problem(status: int, detail: str) -> HttpResponse:
    from haat.api import problem

    return problem(HttpRequest(), status, detail)


def _user_id(request: HttpRequest) -> int | None:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        user = account_services.authenticate_api_token(auth.removeprefix("Bearer ").strip())
        return user.pk if user is not None else None
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _lock_key(user_id: int, key: str) -> int:
    digest = hashlib.sha256(f"{user_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class IdempotencyMiddleware:
    """Applies to unsafe ``/api/`` requests that carry an ``Idempotency-Key`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return _problem(400, f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} printable characters.")
        user_id = _user_id(request)
        if user_id is None:
            return self.get_response(request)  # the API answers 401 itself; nothing to remember
        request_hash = hashlib.sha256(
            b"\0".join([(request.method or "").encode(), request.path.encode(), request.body])
        ).hexdigest()
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(user_id, key)])
                        if not cursor.fetchone()[0]:
                            return _problem(
                                409, "A request with this Idempotency-Key is still being processed."
                            )
                earlier = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
                if earlier is not None:
                    return _replay(earlier, request_hash)
                response = self.get_response(request)
                if response.status_code >= 500:
                    # Roll the work back too, so the client's retry with the same key runs it again.
                    transaction.set_rollback(True)
                    return response
                IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    method=request.method or "",
                    path=request.path,
                    request_hash=request_hash,
                    status_code=response.status_code,
                    response_body=response.content,
                    content_type=response.get("Content-Type", "application/json"),
                )
                return response
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
            if earlier is None:
                raise
            return _replay(earlier, request_hash)


def _replay(earlier: IdempotencyKey, request_hash: str) -> HttpResponse:
    if earlier.request_hash != request_hash:
        return _problem(422, "This Idempotency-Key was already used for a different request.")
    response = HttpResponse(
        bytes(earlier.response_body), status=earlier.status_code, content_type=earlier.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


def require_key(request: HttpRequest) -> None:
    """Money-moving operations call this first: without a key a network retry could pay twice."""
    from ninja.errors import HttpError

    if not request.headers.get(HEADER):
        raise HttpError(400, f"This operation moves money: send an {HEADER} header (e.g. a random UUID).")
