"""REST routes of an audit's review: read it, record a decision, sign it off.

- `GET  /api/v1/audits/{id}/review` -> ReviewState (the same reduction as the Snapshot's `review`);
- `POST /api/v1/audits/{id}/decisions` (DecisionRequest) -> 201 with the `decision_recorded` event;
- `POST /api/v1/audits/{id}/sign-off` (SignOffRequest) -> 201 with the `audit_signed_off` event.

The reply of a POST is the event exactly as the review stream carries it (same seq), so a client
can apply it at once and drop the copy the stream brings. Bodies are parsed here with the
generated models, so a malformed one is a 422 Problem naming the field; the rules (a reason
exactly when dismissing, known findings, when sign-off is allowed) are the desk's, and its
refusals map onto statuses in one table below. Decisions and sign-off are not authenticated:
`reviewer` is whatever the client sends (README says so).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from generated.models import (
    AuditSignedOff,
    DecisionRecorded,
    DecisionRequest,
    ProblemCode,
    ReviewState,
    SignOffRequest,
)
from server.review.errors import Conflict, Invalid, ReviewRefused
from server.runtime import Runtime, RuntimeDep
from server.transports.codes import is_audit_id
from server.transports.problems import ProblemError, responses

router = APIRouter(tags=["review"])


def _json_body(definition: str) -> dict[str, Any]:
    """OpenAPI for a body parsed by hand: a JSON object defined in rest.schema.json."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "description": f"{definition} (/schema/v1/rest.schema.json)",
                    }
                }
            },
        }
    }


M = TypeVar("M", bound=BaseModel)
STATUS_OF: dict[type[ReviewRefused], int] = {Invalid: 422, Conflict: 409}
MAX_BODY_BYTES = 64 * 1024


UNKNOWN_AUDIT = {404: [ProblemCode.unknown_audit]}
BODY_PROBLEMS = {413: [ProblemCode.too_large], 422: [ProblemCode.invalid_request]}


@router.get(
    "/api/v1/audits/{audit_id}/review",
    response_model=ReviewState,
    responses=responses(UNKNOWN_AUDIT),
)
async def get_review(audit_id: str, rt: RuntimeDep) -> JSONResponse:
    """Every finding with its decision and history, the counts, sign-off and drafts comparison."""
    _known(rt, audit_id)
    return JSONResponse(rt.review.state(audit_id))


@router.post(
    "/api/v1/audits/{audit_id}/decisions",
    status_code=201,
    openapi_extra=_json_body("DecisionRequest"),
    response_model=DecisionRecorded,
    response_description="The decision as the review stream carries it.",
    responses=responses(
        {
            **UNKNOWN_AUDIT,
            **BODY_PROBLEMS,
            422: [
                ProblemCode.invalid_request,
                ProblemCode.unknown_finding,
                ProblemCode.reason_required,
            ],
            409: [ProblemCode.signed_off],
        }
    ),
)
async def record_decision(audit_id: str, request: Request, rt: RuntimeDep) -> JSONResponse:
    """Record a decision on one finding (DecisionRequest); decisions are never overwritten."""
    _known(rt, audit_id)
    body = await _parse(request, DecisionRequest)
    try:
        event = rt.review.decide(audit_id, body)
    except ReviewRefused as exc:
        raise _problem(exc) from exc
    return JSONResponse(event.model_dump(mode="json"), status_code=201)


@router.post(
    "/api/v1/audits/{audit_id}/sign-off",
    status_code=201,
    openapi_extra=_json_body("SignOffRequest"),
    response_model=AuditSignedOff,
    response_description="The sign-off as the review stream carries it.",
    responses=responses(
        {
            **UNKNOWN_AUDIT,
            **BODY_PROBLEMS,
            409: [
                ProblemCode.audit_not_finished,
                ProblemCode.audit_not_completed,
                ProblemCode.findings_undecided,
                ProblemCode.signed_off,
            ],
        }
    ),
)
async def sign_off(audit_id: str, request: Request, rt: RuntimeDep) -> JSONResponse:
    """Sign the finished audit off (SignOffRequest): every high and medium finding decided."""
    _known(rt, audit_id)
    body = await _parse(request, SignOffRequest)
    try:
        event = rt.review.sign_off(audit_id, body)
    except ReviewRefused as exc:
        raise _problem(exc) from exc
    return JSONResponse(event.model_dump(mode="json"), status_code=201)


def _known(rt: Runtime, audit_id: str) -> None:
    if not is_audit_id(audit_id) or not rt.review_log.exists(audit_id):
        raise ProblemError(404, f"No audit {audit_id!r}.", ProblemCode.unknown_audit)


async def _parse(request: Request, model: type[M]) -> M:
    """The JSON body as `model`; a 422 Problem naming the first fields that are wrong."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ProblemError(
            413, f"The body is larger than {MAX_BODY_BYTES // 1024} KB.", ProblemCode.too_large
        )
    try:
        data: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProblemError(
            422,
            f"Invalid request. The body is not JSON: {model.__name__} expected.",
            ProblemCode.invalid_request,
        ) from exc
    if not isinstance(data, dict):
        raise ProblemError(
            422,
            f"Invalid request. The body must be a JSON object ({model.__name__}).",
            ProblemCode.invalid_request,
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        parts = []
        for error in exc.errors()[:3]:
            where = ".".join(str(p) for p in error.get("loc", ()))
            parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error["msg"])
        raise ProblemError(
            422, "Invalid request. " + "; ".join(parts), ProblemCode.invalid_request
        ) from exc


def _problem(exc: ReviewRefused) -> ProblemError:
    status = next((s for cls, s in STATUS_OF.items() if isinstance(exc, cls)), 422)
    return ProblemError(status, exc.message, ProblemCode(exc.code))
