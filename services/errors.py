"""Errors of the service layer. `services/problems.py` maps each to one HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(ServiceError):
    status = 404
    title = "Not Found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class Unauthorized(ServiceError):
    status = 401
    title = "Unauthorized"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ServiceError):
    status = 412
    title = "Precondition Failed"


class Invalid(ServiceError):
    status = 422
    title = "Unprocessable Content"


class BadRequest(ServiceError):
    status = 400
    title = "Bad Request"


class NotReady(ServiceError):
    """The read side has not reached the asked position within the wait."""

    status = 503
    title = "Service Unavailable"
