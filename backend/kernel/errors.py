"""Domain errors. Services raise these; one handler in app.py renders them as
`{"error": code, "detail": message}` with the error's HTTP status."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """The body of every 4xx and 5xx response."""

    error: str
    detail: str
    fields: list[dict] | None = None


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.headers = headers


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "payload_too_large"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"


class UpstreamUnavailable(DomainError):
    status_code = 503
    code = "upstream_unavailable"
