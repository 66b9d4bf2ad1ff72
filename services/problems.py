"""Every error becomes RFC 9457 problem+json, mapped in this one table."""

from __future__ import annotations

import logging
import re
from typing import Any

from eventsourcing.persistence import PersistenceError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from domain.shared import DomainError
from infra.db import CommitRefused, DatabaseUnavailable, connection_lost
from services.errors import NotReady, ServiceError

log = logging.getLogger("techplan.api")

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
DOMAIN_STATUS = {"invalid": 422, "conflict": 409, "not_found": 404}


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    type_: str | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"https://techplan.dev/problems/{type_ or status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field(item: dict[str, Any]) -> str:
    """A dotted path into the body (`one_time_cost.amount_minor`, `goal_ids.0`)."""
    key = str(item.get("key") or "")
    message = str(item.get("message") or "")
    at = re.search(r"at `\$\.?([^`]*)`", message)
    named = re.search(r"field `([^`]+)`", message)
    if at and at.group(1):
        key = at.group(1) + (f".{named.group(1)}" if named else "")
    elif key in ("", "data"):
        key = named.group(1) if named else ""
    return re.sub(r"\[(\d+)\]", r".\1", key).lstrip(".")


def _message(raw: str) -> str:
    message = re.sub(r" - at `[^`]*`", "", raw)
    if "matching regex" in message:
        return "contains a control character, is blank, or is not in the expected format"
    return message


def on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [
        {"field": _field(item), "message": _message(str(item.get("message")))}
        for item in extra
        if isinstance(item, dict)
    ]
    detail = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return problem(422, detail or "the request is not valid", errors=errors)


def on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = exc.detail if exc.detail else TITLES.get(status, "Error")
    if status == 404 and detail == "Not Found":
        detail = "no such resource"
    return problem(status, str(detail), headers=dict(exc.headers or {}))


def on_service(request: Request[Any, Any, Any], exc: ServiceError) -> Response[Any]:
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    headers = {"Retry-After": "1"} if isinstance(exc, NotReady) else None
    return problem(exc.status, exc.detail, errors=errors, headers=headers)


def on_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    status = DOMAIN_STATUS.get(exc.kind, 422)
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
    return problem(status, exc.message, errors=errors, type_=exc.problem_type)


def on_database_unavailable(
    request: Request[Any, Any, Any], exc: DatabaseUnavailable
) -> Response[Any]:
    return problem(
        503,
        exc.detail,
        headers={"Retry-After": str(exc.retry_after)},
        type_="database-unavailable",
    )


def on_refused(request: Request[Any, Any, Any], exc: CommitRefused) -> Response[Any]:
    return problem(409, str(exc))


def on_persistence(request: Request[Any, Any, Any], exc: PersistenceError) -> Response[Any]:
    """The event store's errors: a lost server is 503 like ours, anything else unexpected."""
    if exc.__cause__ is not None and connection_lost(exc.__cause__):
        return on_database_unavailable(request, DatabaseUnavailable())
    return on_unexpected(request, exc)


def on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "an unexpected error occurred")


HANDLERS: dict[type[Exception], Any] = {
    ValidationException: on_validation,
    HTTPException: on_http,
    ServiceError: on_service,
    DomainError: on_domain,
    DatabaseUnavailable: on_database_unavailable,
    CommitRefused: on_refused,
    PersistenceError: on_persistence,
    Exception: on_unexpected,
}
