"""REST routes of protocol v1: create, inspect, cancel and delete audits; samples; health.

Every body is a generated model from schema/v1/rest.schema.json; every error is a Problem
(see problems.py). Uploads are checked before anything is stored, so a refused request leaves
nothing behind: 413 too large, 415 unsupported type, 422 not what it claims, 404 unknown
sample, 429 too many audits running (with Retry-After).
"""

from __future__ import annotations

import asyncio
import json
from importlib import metadata
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from generated.models import (
    AuditCreated,
    AuditLinks,
    AuditList,
    AuditListItem,
    AuditState,
    CancelReply,
    Health,
    ParsedDocument,
    ProblemCode,
    Sample,
    SampleList,
    Snapshot,
)
from server import snapshot
from server.audits.intake import (
    DOCUMENT,
    MEMO,
    PRIOR_YEAR,
    UnknownSample,
    Upload,
    check_uploads,
    parsed_document,
    sample_uploads,
    start_audit,
)
from server.runtime import Runtime, RuntimeDep
from server.samples import list_samples
from server.transports.codes import is_audit_id
from server.transports.problems import ProblemError, responses

router = APIRouter(tags=["audits"])

MAX_FORM_FIELD_BYTES = 64 * 1024
UPLOAD_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "document": {"type": "string", "format": "binary"},
                        "prior_year": {"type": "string", "format": "binary"},
                        "memos": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "sample": {"type": "string", "description": "Audit a bundled sample."},
                    },
                }
            }
        },
    }
}


def _body(model: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def _known(rt: Runtime, audit_id: str) -> None:
    if not is_audit_id(audit_id) or rt.audits.get_audit(audit_id) is None:
        raise ProblemError(404, f"No audit {audit_id!r}.", ProblemCode.unknown_audit)


UNKNOWN_AUDIT = {404: [ProblemCode.unknown_audit]}


@router.post(
    "/api/v1/audits",
    status_code=202,
    openapi_extra=UPLOAD_FORM,
    response_model=AuditCreated,
    response_description="The audit is started; follow it at its links.",
    responses=responses(
        {
            400: [ProblemCode.bad_request],
            404: [ProblemCode.unknown_sample],
            413: [ProblemCode.too_large],
            415: [ProblemCode.unsupported_document],
            422: [ProblemCode.bad_request, ProblemCode.invalid_document],
            429: [ProblemCode.too_many_audits],
        }
    ),
)
async def create_audit(request: Request, rt: RuntimeDep) -> JSONResponse:
    """Upload `document` (+ optional `prior_year`, `memos`) or send `sample=NAME`."""
    settings = rt.settings
    rt.orchestrator.reserve().release()  # fail fast with 429 before reading a large body
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_request_bytes:
        raise ProblemError(
            413,
            f"The request is {_mb(int(declared))}; the limit is {_mb(settings.max_request_bytes)}.",
            ProblemCode.too_large,
        )
    form = await request.form(
        max_files=2 + settings.max_memos, max_fields=8, max_part_size=MAX_FORM_FIELD_BYTES
    )
    try:
        sample = form.get("sample")
        files = {
            DOCUMENT: form.getlist("document"),
            PRIOR_YEAR: form.getlist("prior_year"),
            MEMO: form.getlist("memos"),
        }
        if sample is not None:
            if any(files.values()):
                raise ProblemError(
                    400, "Send either files or sample=NAME, not both.", ProblemCode.bad_request
                )
            if not isinstance(sample, str):
                raise ProblemError(
                    422, "sample must be a sample name, not a file.", ProblemCode.bad_request
                )
            try:
                uploads = await asyncio.to_thread(sample_uploads, sample)
            except UnknownSample as exc:
                raise ProblemError(404, str(exc.args[0]), ProblemCode.unknown_sample) from exc
        else:
            uploads = await _read_uploads(files, settings.max_upload_bytes, settings.max_memos)
            await asyncio.to_thread(check_uploads, uploads)
    finally:
        await form.close()
    audit_id = await start_audit(rt.audits, rt.documents, rt.orchestrator, uploads, sample)
    created = AuditCreated(audit_id=audit_id, links=_links(request, audit_id))
    return _body(created, 202, {"Location": f"/api/v1/audits/{audit_id}"})


async def _read_uploads(files: dict[str, list[Any]], limit: int, max_memos: int) -> list[Upload]:
    if not files[DOCUMENT]:
        raise ProblemError(
            422, "A document file is required (or send sample=NAME).", ProblemCode.bad_request
        )
    if len(files[DOCUMENT]) > 1 or len(files[PRIOR_YEAR]) > 1:
        raise ProblemError(
            400, "Send one document and at most one prior_year.", ProblemCode.bad_request
        )
    if len(files[MEMO]) > max_memos:
        raise ProblemError(400, f"At most {max_memos} memos per audit.", ProblemCode.bad_request)
    uploads = []
    for role, values in files.items():
        for value in values:
            if not isinstance(value, UploadFile):
                raise ProblemError(422, f"{role} must be a file upload.", ProblemCode.bad_request)
            name = value.filename or role
            data = await value.read(limit + 1)
            if len(data) > limit:
                raise ProblemError(
                    413, f"{name!r} is larger than the {_mb(limit)} limit.", ProblemCode.too_large
                )
            uploads.append(Upload(role, name, data))
    return uploads


def _links(request: Request, audit_id: str) -> AuditLinks:
    base = str(request.base_url).rstrip("/")
    ws_base = "ws" + base[4:] if base.startswith("http") else base
    return AuditLinks(
        websocket=f"{ws_base}/ws/audit/{audit_id}",
        events=f"{base}/api/v1/audits/{audit_id}/events",
        snapshot=f"{base}/api/v1/audits/{audit_id}",
        document=f"{base}/api/v1/audits/{audit_id}/document",
        page=f"{base}/audits/{audit_id}",
    )


@router.get(
    "/api/v1/audits",
    response_model=AuditList,
    responses=responses({422: [ProblemCode.invalid_request]}),
)
async def list_audits(
    rt: RuntimeDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> JSONResponse:
    """Recent audits, newest first."""
    items = []
    for record in rt.audits.list_audits(limit):
        fields: dict[str, Any] = {
            "audit_id": record.audit_id,
            "state": record.state,
            "document_name": record.document_name,
            "created_at": record.created_at,
        }
        if record.finished_at:
            fields["finished_at"] = record.finished_at
        if record.findings:
            fields["findings"] = record.findings
        items.append(AuditListItem(**fields))
    return _body(AuditList(audits=items))


@router.get(
    "/api/v1/audits/{audit_id}", response_model=Snapshot, responses=responses(UNKNOWN_AUDIT)
)
async def get_snapshot(audit_id: str, rt: RuntimeDep) -> JSONResponse:
    """The audit reduced from its events (the same reduction the page runs)."""
    _known(rt, audit_id)
    events = [json.loads(wire.text) for wire in rt.log.read(audit_id)]
    return JSONResponse(snapshot.reduce(audit_id, events))


@router.get(
    "/api/v1/audits/{audit_id}/document",
    response_model=ParsedDocument,
    responses=responses({**UNKNOWN_AUDIT, 422: [ProblemCode.invalid_document]}),
)
async def get_document(audit_id: str, rt: RuntimeDep) -> Response:
    """The parsed report (document.schema.json ParsedDocument)."""
    _known(rt, audit_id)
    try:
        body = await parsed_document(rt.documents, audit_id)  # DocumentError -> 415/422 Problem
    except LookupError as exc:
        raise ProblemError(
            404, f"Audit {audit_id!r} has no document.", ProblemCode.unknown_audit
        ) from exc
    return Response(body, media_type="application/json")


@router.post(
    "/api/v1/audits/{audit_id}/cancel",
    status_code=202,
    response_model=CancelReply,
    responses=responses(UNKNOWN_AUDIT),
)
async def cancel_audit(audit_id: str, rt: RuntimeDep) -> JSONResponse:
    """Stop a running audit; harmless on a finished one."""
    _known(rt, audit_id)
    await rt.orchestrator.cancel(audit_id)
    record = rt.audits.get_audit(audit_id)
    state = record.state if record else "cancelled"
    return _body(CancelReply(audit_id=audit_id, state=AuditState(state)), 202)


@router.delete(
    "/api/v1/audits/{audit_id}",
    status_code=204,
    response_description="Deleted.",
    responses=responses(UNKNOWN_AUDIT),
)
async def delete_audit(audit_id: str, rt: RuntimeDep) -> Response:
    """Delete the audit, its events and its documents (a running audit is cancelled first)."""
    _known(rt, audit_id)
    await rt.orchestrator.cancel(audit_id)
    rt.audits.delete_audit(audit_id)
    rt.log.forget(audit_id)
    await asyncio.to_thread(rt.documents.delete, audit_id)
    return Response(status_code=204)


@router.get("/api/v1/samples", response_model=SampleList, responses=responses({}))
async def samples() -> JSONResponse:
    """The bundled sample statement sets."""
    return _body(SampleList(samples=[Sample(**entry) for entry in list_samples()]))


@router.get("/api/health", tags=["health"], response_model=Health, responses=responses({}))
async def health(rt: RuntimeDep) -> JSONResponse:
    return _body(
        Health(status="ok", version=_version(), protocol=1, audits_running=rt.orchestrator.running)
    )


def _version() -> str:
    try:
        return metadata.version("crosscheck")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
