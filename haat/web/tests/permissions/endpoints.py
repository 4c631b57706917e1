"""Every endpoint of the site, found from the URL configuration and the OpenAPI document (so a new page or API
operation joins the matrix without anyone listing it), and how to call one as a given person.

An endpoint's key is ``"METHOD route"``: ``GET /contracts/<int:contract_id>/`` for pages (called with GET
and with POST, since a page may accept either), ``PATCH /api/v1/bids/{bid_id}`` for API operations (their
own methods). Pages are called with an empty POST body; API operations with a body that passes their schema
(``body_for``), so that what decides the answer is who asks, not what they sent.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from haat.web.tests.permissions.world import World, zip_upload

API_PREFIX = "/api/v1"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
TWO_FACTOR_PATH = "/accounts/2fa/totp/activate/"

_KWARG = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")
_API_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # "/contracts/<int:contract_id>/" or "/api/v1/contracts/{contract_id}"
    name: str  # "contracts:contract-detail", "api:get_contract" ("" for unnamed admin redirects)
    kwargs: tuple[str, ...]
    operation: dict[str, Any] | None = None  # the OpenAPI operation, for API endpoints

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}"

    @property
    def is_api(self) -> bool:
        return self.operation is not None

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("/admin/")


def _walk(patterns: list[Any], prefix: str, namespace: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            found.append(("/" + prefix + str(pattern.pattern), name))
    return found


def _clean_route(route: str) -> str:
    # Regex routes (allauth's confirmation links, the admin) keep their groups but lose the anchors.
    return route.replace("^", "").replace("$", "")


def page_endpoints() -> list[Endpoint]:
    """Every URL pattern outside the API, called with GET and with POST."""
    endpoints = []
    for route, name in _walk(get_resolver().url_patterns, "", ""):
        if route.startswith(API_PREFIX + "/"):
            continue
        route = _clean_route(route)
        keys = tuple(m.group("name") or m.group("rname") for m in _KWARG.finditer(route))
        for method in ("GET", "POST"):
            endpoints.append(Endpoint(method, route, name, keys))
    return endpoints


def api_endpoints() -> list[Endpoint]:
    """Every operation of the OpenAPI document, plus the document and its docs page."""
    from haat.api import api

    document = api.get_openapi_schema()
    endpoints = [
        Endpoint("GET", f"{API_PREFIX}/openapi.json", "api:openapi-json", ()),
        Endpoint("GET", f"{API_PREFIX}/docs", "api:openapi-view", ()),
    ]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            operation = dict(operation, components=document.get("components", {}))
            keys = tuple(_API_PARAM.findall(path))
            endpoints.append(
                Endpoint(method.upper(), path, f"api:{operation['operationId']}", keys, operation)
            )
    return endpoints


def all_endpoints() -> list[Endpoint]:
    endpoints = page_endpoints() + api_endpoints()
    keys = [e.key for e in endpoints]
    assert len(keys) == len(set(keys)), "two endpoints share a method and route"
    return endpoints


# --- Calling an endpoint -----------------------------------------------------------------------------------------


_ADMIN_MODEL = re.compile(r"^/admin/(\w+)/(\w+)/")
_keys = itertools.count(1)


def _admin_object_id(route: str) -> str:
    match = _ADMIN_MODEL.match(route)
    if match:
        for model in admin.site._registry:
            if (model._meta.app_label, model._meta.model_name) == match.groups():
                first = model._default_manager.order_by("pk").first()
                return str(first.pk) if first is not None else "1"
    return "1"


def url_for(endpoint: Endpoint, world: World) -> str:
    """The endpoint's URL with every keyword replaced by the id of the world's object."""
    if endpoint.is_api:
        values = world.kwargs_for(endpoint.route, list(endpoint.kwargs))
        return _API_PARAM.sub(lambda m: str(values[m.group(1)]), endpoint.route)

    def value(match: re.Match[str]) -> str:
        key = match.group("name") or match.group("rname")
        if key in ("object_id", "id"):
            return _admin_object_id(endpoint.route)
        if key in ("content_type_id", "url", "key", "uidb36", "app_label"):
            # Unguessable tokens and the admin's own routing: a plausible value is enough.
            return {
                "content_type_id": "1",
                "url": "nothing",
                "key": "abc",
                "uidb36": "1",
                "app_label": "jobs",
            }[key]
        return str(world.kwargs_for(endpoint.route, [key])[key])

    return _KWARG.sub(value, endpoint.route)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(options[0], components) if options else {"type": "null"}
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value that satisfies ``schema``: the required properties only, each at its smallest."""
    schema = _resolve(schema, components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: example(prop, components)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema["items"], components) for _i in range(schema.get("minItems", 0))]
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date-time":
            return (timezone.now() + dt.timedelta(days=7)).isoformat()
        if schema.get("format") == "date":
            return (timezone.localdate() + dt.timedelta(days=7)).isoformat()
        if schema.get("format") == "binary":
            return SimpleUploadedFile("file.txt", b"Matrix check.", "text/plain")
        if schema.get("format") == "email":
            return "someone@example.com"
        text = "A matrix check that is long enough for every minimum."
        return text[: schema.get("maxLength", len(text))]
    return None


def _week_ending() -> str:
    today = timezone.localdate()
    return (today + dt.timedelta(days=(4 - today.weekday()) % 7)).isoformat()


def body_overrides(world: World) -> dict[str, dict[str, Any]]:
    """Bodies where the smallest valid value would be refused before the access check could matter."""
    future = (timezone.now() + dt.timedelta(days=20)).isoformat()
    return {
        "POST /api/v1/jobs/{job_id}/bids": {
            "amount": 15_500,
            "delivery_days": 5,
            "proposal": "I can do it " * 3,
        },
        "PATCH /api/v1/bids/{bid_id}": {"amount": 14_000},
        "POST /api/v1/deposits": {"amount": 1000, "currency": "USD", "gateway": "manual"},
        "POST /api/v1/withdrawals": {
            "payout_method_id": world.ids["method_id"],
            "amount": 1000,
            "currency": "USD",
        },
        "POST /api/v1/payout-methods": {"kind": "paypal", "email": "new.paypal@example.com"},
        "POST /api/v1/jobs/{job_id}/invitations": {"freelancer_id": world.ids["user_id"]},
        "PUT /api/v1/contracts/{contract_id}/milestones": {
            "milestones": [{"title": "All", "amount": 20_000, "due_at": future}]
        },
        "POST /api/v1/reviews": {},
        "POST /api/v1/contracts/{contract_id}/reviews": {"quality": 4, "communication": 4, "deadlines": 4},
        "POST /api/v1/contracts/{contract_id}/status-reports": {
            "done": "Pages.",
            "next_steps": "Payments.",
            "percent_complete": 50,
            "week_ending": _week_ending(),
        },
        "POST /api/v1/cancellation-requests/{request_id}/answer": {"agree": False},
        "POST /api/v1/milestones/{milestone_id}/accept": {},
        "POST /api/v1/withdrawals/{withdrawal_id}/mark-paid": {"reference": "PP-1"},
        "POST /api/v1/withdrawals/{withdrawal_id}/reject": {"reason": "Closed account."},
        "POST /api/v1/contracts/{contract_id}/disputes": {
            "milestone_id": world.objects["disputed_milestone"].pk,
            "reason": "quality",
            "statement": "Not what we agreed.",
        },
        "POST /api/v1/disputes/{dispute_id}/offers": {"percent": 40},
        "POST /api/v1/reports": {
            "target_type": "profile",
            "target_id": world.objects["breaker"].profile.pk,
            "reason": "spam",
        },
    }


# Pages whose form is checked before the object: with an empty form every person would get the same
# "fix the form" answer and the check of who may act would never run.
def page_body(route: str, world: World) -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {
        "/disputes/<int:dispute_id>/statement/": {"text": "The logo files were never sent."},
        "/account/moderation/suspensions/<int:suspension_id>/appeal/": {
            "statement": "It was a misunderstanding."
        },
        "/jobs/<int:job_id>/invite/": {
            "freelancer": str(world.ids["user_id"]),
            "message": "Please have a look.",
        },
        "/jobs/<int:job_id>/files/": {
            "file": SimpleUploadedFile("brief2.txt", b"More details.", "text/plain")
        },
    }
    return bodies.get(route, {})


def _query(operation: dict[str, Any]) -> dict[str, Any]:
    params = {}
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("required"):
            params[parameter["name"]] = example(parameter.get("schema", {}), operation["components"])
    return params


def call(client: Client, endpoint: Endpoint, world: World) -> Any:
    """Call ``endpoint`` as whoever ``client`` is logged in as."""
    url = url_for(endpoint, world)
    headers = {"HTTP_IDEMPOTENCY_KEY": f"matrix-{next(_keys)}"}
    if not endpoint.is_api or endpoint.operation is None:
        if endpoint.method == "GET":
            return client.get(url)
        return client.post(url, page_body(endpoint.route, world))
    operation = endpoint.operation
    query = _query(operation)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    content = operation.get("requestBody", {}).get("content", {})
    override = body_overrides(world).get(endpoint.key)
    if "application/json" in content:
        body = (
            override
            if override is not None
            else example(content["application/json"]["schema"], operation["components"])
        )
        return client.generic(
            endpoint.method, url, json.dumps(body), content_type="application/json", **headers
        )
    if "multipart/form-data" in content:
        data = example(content["multipart/form-data"]["schema"], operation["components"])
        if "deliveries" in endpoint.route:
            data["file"] = zip_upload()
        data = {k: v for k, v in data.items() if v is not None}
        return client.generic(endpoint.method, url, **_multipart(client, data), **headers)
    return client.generic(endpoint.method, url, **headers)


def _multipart(client: Client, data: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}


def outcome(endpoint: Endpoint, response: HttpResponse) -> str:
    """The class of an answer: ok (2xx), go (a redirect that is not to log-in), login (401 or a redirect to
    log in), 2fa (sent to set up two-factor), or the status code (403, 404, 405, 422, …)."""
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if 300 <= status < 400:
        location = response.get("Location", "")
        if any(location.startswith(p) or f"{p}?" in location for p in LOGIN_PATHS):
            return "login"
        if location.startswith(TWO_FACTOR_PATH):
            return "2fa"
        return "go"
    if status == 401:
        return "login"
    return str(status)


def matching_row(key: str, rows: dict[str, Any]) -> str | None:
    """The table row that covers ``key``: its own row, else the longest pattern (a row ending in ``*``) that
    matches it."""
    if key in rows:
        return key
    patterns = [p for p in rows if p.endswith("*") and fnmatch.fnmatchcase(key, p)]
    return max(patterns, key=len) if patterns else None
