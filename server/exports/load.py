"""Gathers what a working paper is made from: the snapshot (the same reduction GET
/api/v1/audits/{id} serves), the parsed document and the uploaded bytes.

A document that could not be read leaves `Paper.document` None: the workbook, CSV and JSON
are still made (locations then keep the agents' own titles); only the Word copy needs it.
"""

from __future__ import annotations

import asyncio
import json

from server import snapshot
from server.audits.intake import DOCUMENT, parsed_document
from server.errors import DocumentError
from server.events import now_ts
from server.exports.paper import Original, Paper
from server.log import EventLog
from server.storage import DocumentDatabase


async def load_paper(log: EventLog, documents: DocumentDatabase, audit_id: str) -> Paper:
    events = [json.loads(wire.text) for wire in log.read(audit_id)]
    reduced = snapshot.reduce(audit_id, events)
    try:
        document = json.loads(await parsed_document(documents, audit_id))
    except (DocumentError, LookupError):
        document = None
    files = await asyncio.to_thread(documents.load, audit_id)
    upload = next((f for f in files if f.role == DOCUMENT), None)
    original = Original(upload.filename, upload.data) if upload else None
    return Paper(reduced, document, original, generated_at=now_ts())
