"""GET /api/v1/audits/{id}/export?format=xlsx|docx|csv|json: the audit's working paper.

One implementation for the page's buttons, `crosscheck export` and scripts (server/exports).
Errors are Problems: 404 unknown audit, 422 an unknown or missing format (naming the supported
ones), 409 a Word copy asked of an audit whose upload is not a .docx (the comments need the
original Word file). Writing runs where CPU work runs (`offload`), never on the event loop.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from generated.models import ProblemCode
from server.exports import FORMATS, make
from server.exports.docx_comments import is_word
from server.exports.load import load_paper
from server.runtime import RuntimeDep
from server.transports.codes import is_audit_id
from server.transports.problems import ProblemError, responses
from server.workers import offload

router = APIRouter(tags=["exports"])
SUPPORTED = ", ".join(FORMATS)
BINARY = {"type": "string", "format": "binary"}
FILE_SCHEMA = {
    "json": {
        "type": "object",
        "description": "The Snapshot with findings_by_severity, findings and locations_in_words.",
    },
    "csv": {"type": "string", "description": "UTF-8 with a byte-order mark, CRLF line ends."},
}


@router.get(
    "/api/v1/audits/{audit_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The working paper, a file to save (Content-Disposition: attachment).",
            "content": {
                f.media_type.split(";")[0]: {"schema": FILE_SCHEMA.get(f.name, BINARY)}
                for f in FORMATS.values()
            },
        },
        **responses(
            {
                404: [ProblemCode.unknown_audit],
                409: [ProblemCode.not_a_word_document],
                422: [ProblemCode.unknown_format],
            }
        ),
    },
)
async def export_audit(
    audit_id: str,
    rt: RuntimeDep,
    format: Annotated[str | None, Query(description=f"One of: {SUPPORTED}.")] = None,
) -> Response:
    """The audit as a working paper: xlsx (workbook), docx (the upload with a comment at each
    finding), csv (findings, UTF-8 with BOM) or json (snapshot, findings, locations in words)."""
    if not is_audit_id(audit_id) or rt.audits.get_audit(audit_id) is None:
        raise ProblemError(404, f"No audit {audit_id!r}.", ProblemCode.unknown_audit)
    chosen = FORMATS.get(format or "")
    if chosen is None:
        asked = f"Unknown format {format!r}" if format else "No format given"
        raise ProblemError(422, f"{asked}; supported: {SUPPORTED}.", ProblemCode.unknown_format)
    paper = await load_paper(rt.review.snapshot(audit_id), rt.documents, audit_id)
    if chosen.needs_original:
        name = paper.original.filename if paper.original else paper.document_name
        if paper.original is None or not is_word(name):
            raise ProblemError(
                409,
                f"{name!r} is not a Word .docx file: the commented copy is made from the "
                "original .docx. Export xlsx, csv or json instead.",
                ProblemCode.not_a_word_document,
            )
    data = await offload(make, paper, chosen.name)
    filename = chosen.filename(paper)
    return Response(
        data, media_type=chosen.media_type, headers={"Content-Disposition": _attachment(filename)}
    )


def _attachment(filename: str) -> str:
    """An attachment with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    fallback = "".join(ch if ch.isascii() and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
