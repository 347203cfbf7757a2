"""Every 4xx/5xx reply is a Problem body `{detail, code?}` (rest.schema.json#/$defs/Problem).

The single mapping from errors to HTTP statuses and Problem codes lives here; routers raise
`ProblemError` or a `CrosscheckError` and never build error bodies themselves. Codes are the
generated `ProblemCode` enum (defined in the schema), so a code the schema lacks cannot be sent.
`responses(...)` declares the same Problem replies in the OpenAPI document.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from generated.models import Problem, ProblemCode
from server.errors import (
    AuditNotFound,
    CrosscheckError,
    InvalidDocument,
    TooManyAudits,
    UnsupportedDocument,
)

logger = logging.getLogger(__name__)

STATUS_OF: dict[type[CrosscheckError], tuple[int, ProblemCode]] = {
    InvalidDocument: (422, ProblemCode.invalid_document),
    UnsupportedDocument: (415, ProblemCode.unsupported_document),
    AuditNotFound: (404, ProblemCode.unknown_audit),
}
# Errors Starlette raises itself (an unknown path, a wrong method, a malformed multipart body).
CODE_OF_STATUS: dict[int, ProblemCode] = {
    400: ProblemCode.bad_request,
    404: ProblemCode.not_found,
    405: ProblemCode.method_not_allowed,
    413: ProblemCode.too_large,
}


# An example `detail` for each code, shown in the OpenAPI document next to the routes that send it.
EXAMPLE_DETAIL: dict[ProblemCode, str] = {
    ProblemCode.bad_request: "Send either files or sample=NAME, not both.",
    ProblemCode.bad_parameter: "after must be a whole number >= 0.",
    ProblemCode.invalid_request: "Invalid request. query.limit: Input should be >= 1",
    ProblemCode.invalid_document: "'report.docx' is not a Word document (no ZIP signature).",
    ProblemCode.unsupported_document: "'book.xlsx' is .xlsx; supported: .docx .md .txt .pdf.",
    ProblemCode.too_large: "'report.pdf' is larger than the 25.0 MB limit.",
    ProblemCode.unknown_audit: "No audit 'aud_7Hq2LmX9'.",
    ProblemCode.unknown_sample: "No sample 'acme-2024'; known samples: fanmilk-2024.",
    ProblemCode.not_found: "Not Found",
    ProblemCode.method_not_allowed: "Method Not Allowed",
    ProblemCode.too_many_audits: "4 audits are already running; try again shortly.",
    ProblemCode.no_page: "The page is not built: web/index.html is missing.",
    ProblemCode.internal: "Something went wrong inside Crosscheck.",
}


def responses(replies: dict[int, list[ProblemCode]]) -> dict[int | str, dict[str, Any]]:
    """A route's Problem replies for its OpenAPI declaration: each status with the codes it
    carries there, one example per code. 500 `internal` (any unexpected error) is on every route.
    """
    declared: dict[int | str, dict[str, Any]] = {}
    for status, codes in sorted({**replies, 500: [ProblemCode.internal]}.items()):
        examples = {
            code.value: {
                "value": Problem(detail=EXAMPLE_DETAIL[code], code=code).model_dump(mode="json")
            }
            for code in codes
        }
        declared[status] = {
            "model": Problem,
            "description": f"{HTTPStatus(status).phrase}: " + ", ".join(c.value for c in codes),
            "content": {"application/json": {"examples": examples}},
        }
    return declared


class ProblemError(Exception):
    """An HTTP error with a message safe to show and an optional machine-readable code."""

    def __init__(
        self,
        status: int,
        detail: str,
        code: ProblemCode | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers or {}

    def __repr__(self) -> str:
        return f"ProblemError(status={self.status}, detail={self.detail!r}, code={self.code!r})"


def problem_response(
    status: int,
    detail: str,
    code: ProblemCode | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = (
        Problem(detail=detail or HTTPStatus(status).phrase, code=code)
        if code
        else Problem(detail=detail or HTTPStatus(status).phrase)
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Route every error the app can raise to a Problem body."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.status, exc.detail, exc.code, exc.headers)

    @app.exception_handler(CrosscheckError)
    async def _crosscheck(request: Request, exc: CrosscheckError) -> JSONResponse:
        status, code = next(
            (mapped for cls, mapped in STATUS_OF.items() if isinstance(exc, cls)),
            (500, ProblemCode.internal),
        )
        return problem_response(status, exc.message, code)

    @app.exception_handler(TooManyAudits)
    async def _busy(request: Request, exc: TooManyAudits) -> JSONResponse:
        retry_after = str(request.app.state.runtime.settings.retry_after_s)
        return problem_response(
            429, str(exc), ProblemCode.too_many_audits, {"Retry-After": retry_after}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        code = CODE_OF_STATUS.get(exc.status_code)
        return problem_response(exc.status_code, detail, code, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for error in exc.errors()[:3]:
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            parts.append(
                f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "")
            )
        return problem_response(
            422, "Invalid request. " + "; ".join(parts), ProblemCode.invalid_request
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500, "Something went wrong inside Crosscheck.", ProblemCode.internal
        )
