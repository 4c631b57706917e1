"""The JSON API at /api/v1/: authentication, RFC 9457 problem responses, and the routers of every app.

Browsers authenticate with the session cookie (CSRF checked); programs with a personal access token
(``Authorization: Bearer haat_…``). Every error is ``application/problem+json`` with a ``detail`` a person can
act on.
"""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field

from haat.accounts import services as account_services

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    """An RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


# The largest list offset accepted: ninja's own is unbounded, and an offset beyond 64 bits is a database error.
MAX_OFFSET = 1_000_000


class _PageInput(LimitOffsetPagination.Input):
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# Every @paginate(LimitOffsetPagination) reads this class when the routers are imported (below).
LimitOffsetPagination.Input = _PageInput  # type: ignore[misc]

# Responses every authenticated operation may give, for the OpenAPI document.
AUTH_ERRORS: dict[int, type[Schema]] = {401: Problem, 403: Problem, 429: Problem}
INPUT_ERRORS: dict[int, type[Schema]] = {400: Problem, 422: Problem}


class TokenAuth(HttpBearer):
    """Personal access tokens, stored hashed (see ``accounts.services.create_api_token``)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = account_services.authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)


class HaatAPI(NinjaAPI):
    """Documents error responses as they are sent: ``application/problem+json``, and a 422 for every
    operation that takes parameters or a body (ninja refuses bad input with 422 before any handler runs)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        problem_ref = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, response in responses.items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                takes_input = operation.get("parameters") or operation.get("requestBody")
                if takes_input and "422" not in responses and 422 not in responses:
                    responses[422] = {"description": "Unprocessable Content", "content": problem_ref}
        return schema


api = HaatAPI(
    title="Haat API",
    version="1",
    description=(
        "The Haat marketplace API. Authenticate with a personal access token "
        "(`Authorization: Bearer haat_…`, created under Settings → API tokens) or, from the browser, the "
        "session cookie plus the CSRF token. Errors are RFC 9457 `application/problem+json`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[token_auth, session_auth],
)


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """Build an ``application/problem+json`` response."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"urn:haat:problem:{kind or phrase.lower().replace(' ', '-')}",
        "title": phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def _location(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if p not in ("body", "payload", "query", "path", "form")]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def _on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _location(e.get("loc")), "message": str(e.get("msg", "invalid"))} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "The request is not valid."
    return problem(request, 422, detail, kind="validation-error", errors=errors)


@api.exception_handler(DjangoValidationError)
def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "body", "message": str(message)} for message in exc.messages]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(request, 422, detail, kind="validation-error", errors=errors)


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        request,
        401,
        "Authentication required: send a personal access token as 'Authorization: Bearer …' or log in.",
        kind="not-authenticated",
    )
    response["WWW-Authenticate"] = 'Bearer realm="haat"'
    return response


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON."
    elif exc.status_code == 403 and "CSRF" in detail:
        detail = "CSRF check failed: send the X-CSRFToken header with session authentication."
    return problem(request, exc.status_code, detail)


@api.exception_handler(Http404)
def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, str(exc) if str(exc) else "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _on_does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return problem(request, 404, "No such object, or it is not yours.")


@api.exception_handler(OverflowError)
def _on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # SQLite cannot bind an integer beyond 64 bits; no object has such an id.
    return problem(request, 404, "No such object, or it is not yours.")


@api.exception_handler(DataError)
def _on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # PostgreSQL refuses text with NUL characters before running the query; SQLite simply finds nothing.
    if "NUL" in str(exc):
        return problem(request, 422, "The request contains a NUL character, which is not allowed.")
    return _on_unexpected(request, exc)


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error", exc_info=exc)
    return problem(request, 500, "Something went wrong on our side. Please try again later.")


_unknown_paths = Router(auth=None)


@_unknown_paths.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def _unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    """A path no operation matches (or an id that is not a number) answers like an unknown id: a 404 problem,
    not Django's HTML page."""
    return problem(request, 404, "No such object, or it is not yours.")


def _register_routers() -> None:
    from haat.accounts.api import router as accounts_router
    from haat.accounts.session_api import router as sessions_router
    from haat.bids.api import router as bids_router
    from haat.contracts.api import router as contracts_router
    from haat.disputes.api import router as disputes_router
    from haat.jobs.api import router as jobs_router
    from haat.messaging.api import router as messaging_router
    from haat.moderation.api import router as moderation_router
    from haat.payments.api import router as payments_router
    from haat.reputation.api import router as reputation_router

    api.add_router("/", accounts_router)
    api.add_router("/", sessions_router)
    api.add_router("/", jobs_router)
    api.add_router("/", payments_router)
    api.add_router("/", bids_router)
    api.add_router("/", messaging_router)
    api.add_router("/", contracts_router)
    api.add_router("/", reputation_router)
    api.add_router("/", disputes_router)
    api.add_router("/", moderation_router)
    api.add_router("/", _unknown_paths)  # last: only what no other route matched


_register_routers()
