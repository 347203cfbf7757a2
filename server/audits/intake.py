"""From checked uploads to a started audit, and from stored uploads back to parsed inputs.

Nothing is half-made: a place among the running audits is reserved first (429 otherwise), the
bytes are stored next, the audit record last; any failure on the way removes what was written.
Documents are parsed inside the orchestrated run (`loader`), so a file that passes the cheap
upload check but cannot be read ends its audit with `audit_finished` failed/invalid_document.

A next draft names its earlier audit (`previous`): it must exist and have finished (its findings
are final), checked by `check_previous` before anything is stored, and it is kept in the record.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from server.agents.base import AuditInputs
from server.audits.ids import new_audit_id
from server.audits.orchestrator import LoadInputs, Orchestrator
from server.events import now_ts
from server.ingest.document import Document
from server.ingest.reader import read_document
from server.ingest.upload import check_upload
from server.samples import list_samples, sample_path
from server.storage import (
    AuditDatabase,
    AuditRecord,
    DocumentDatabase,
    StoredFile,
)
from server.storage.audits import UNFINISHED_STATES
from server.workers import offload

DOCUMENT, PRIOR_YEAR, MEMO = "document", "prior_year", "memo"


class UnknownSample(KeyError):
    """No bundled sample has this name."""


class UnknownPrevious(LookupError):
    """The earlier draft named by `previous` does not exist."""


class PreviousUnfinished(Exception):
    """The earlier draft is still running: its findings are not final yet."""


def check_previous(audits: AuditDatabase, previous: str) -> None:
    """Raise UnknownPrevious or PreviousUnfinished unless `previous` can be a next draft's base."""
    record = audits.get_audit(previous)
    if record is None:
        raise UnknownPrevious(f"No earlier audit {previous!r} (previous).")
    if record.state in UNFINISHED_STATES:
        raise PreviousUnfinished(
            f"The earlier audit {previous!r} is still {record.state}; start the next draft "
            "once it has finished."
        )


@dataclass(frozen=True, slots=True)
class Upload:
    role: str
    filename: str
    data: bytes


def check_uploads(uploads: list[Upload]) -> None:
    """Cheap type and magic-byte checks (blocking: run in a thread); raises DocumentError."""
    for upload in uploads:
        check_upload(upload.data, upload.filename)


def sample_uploads(name: str) -> list[Upload]:
    """The files of a bundled sample (blocking file reads: run in a thread)."""
    entry = next((s for s in list_samples() if s["name"] == name), None)
    if entry is None:
        known = ", ".join(sorted(s["name"] for s in list_samples()))
        raise UnknownSample(f"No sample {name!r}; known samples: {known}.")
    files = [(DOCUMENT, entry["document"])]
    if entry.get("prior_year"):
        files.append((PRIOR_YEAR, entry["prior_year"]))
    files.extend((MEMO, memo) for memo in entry.get("memos", []))
    return [Upload(role, file, sample_path(file).read_bytes()) for role, file in files]


async def start_audit(
    audits: AuditDatabase,
    documents: DocumentDatabase,
    orchestrator: Orchestrator,
    uploads: list[Upload],
    sample: str | None = None,
    previous: str | None = None,
) -> str:
    """Store the uploads, create the audit record and start it; returns the audit id.

    `previous` (already checked with `check_previous`) is recorded as the earlier draft.
    """
    reservation = orchestrator.reserve()
    audit_id = new_audit_id()
    stored = _stored_files(uploads)
    try:
        await asyncio.to_thread(documents.save, audit_id, stored)
        try:
            document = next(u for u in uploads if u.role == DOCUMENT)
            audits.create_audit(
                AuditRecord(
                    audit_id=audit_id,
                    created_at=now_ts(),
                    document_name=document.filename,
                    state="pending",
                    sample=sample,
                    previous=previous,
                )
            )
        except BaseException:
            await asyncio.to_thread(documents.delete, audit_id)
            raise
    except BaseException:
        reservation.release()
        raise
    orchestrator.start(audit_id, loader(documents, audit_id), reservation)
    return audit_id


def loader(documents: DocumentDatabase, audit_id: str) -> LoadInputs:
    """Reads and parses an audit's stored documents off the event loop.

    Parsing runs where agent work runs (worker processes in the server): lxml holds the GIL
    while it parses, which would stall the event loop in a thread of the server process.
    """

    async def load() -> AuditInputs:
        files = await asyncio.to_thread(documents.load, audit_id)
        docs = await asyncio.gather(*(offload(read_document, f.data, f.filename) for f in files))
        parsed = [(f.role, doc) for f, doc in zip(files, docs, strict=True)]
        document = next(doc for role, doc in parsed if role == DOCUMENT)
        await asyncio.to_thread(_save_parsed, documents, audit_id, document)
        prior = next((doc for role, doc in parsed if role == PRIOR_YEAR), None)
        memos = [doc for role, doc in parsed if role == MEMO]
        return AuditInputs(document=document, prior_year=prior, memos=memos)

    return load


def _save_parsed(documents: DocumentDatabase, audit_id: str, document: Document) -> None:
    documents.save_parsed(audit_id, json.dumps(document.to_json()))


async def parsed_document(documents: DocumentDatabase, audit_id: str) -> str:
    """The report as `Document.to_json()` text; parsed once and kept. Raises DocumentError."""
    return await asyncio.to_thread(_parsed_document, documents, audit_id)


def _parsed_document(documents: DocumentDatabase, audit_id: str) -> str:
    body = documents.load_parsed(audit_id)
    if body is not None:
        return body
    files = [f for f in documents.load(audit_id) if f.role == DOCUMENT]
    if not files:
        raise LookupError(f"audit {audit_id!r} has no stored document")
    body = json.dumps(_read(files[0]).to_json())
    documents.save_parsed(audit_id, body)
    return body


def _read(file: StoredFile) -> Document:
    return read_document(file.data, file.filename)


def _stored_files(uploads: list[Upload]) -> list[StoredFile]:
    counters: dict[str, int] = {}
    stored = []
    for upload in uploads:
        position = counters.get(upload.role, 0)
        counters[upload.role] = position + 1
        stored.append(StoredFile(upload.role, position, upload.filename, upload.data))
    return stored
