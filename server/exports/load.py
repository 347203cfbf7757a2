"""Gathers what a working paper is made from: the snapshot with its review (what GET
/api/v1/audits/{id} serves, given by the caller), the parsed document and the uploaded bytes.

A document that could not be read leaves `Paper.document` None: the workbook, CSV and JSON
are still made (locations then keep the agents' own titles); only the Word copy needs it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from server.audits.intake import DOCUMENT, parsed_document
from server.errors import DocumentError
from server.events import now_ts
from server.exports.paper import Original, Paper
from server.storage import DocumentDatabase


async def load_paper(
    reduced: Mapping[str, Any], documents: DocumentDatabase, audit_id: str
) -> Paper:
    try:
        document = json.loads(await parsed_document(documents, audit_id))
    except (DocumentError, LookupError):
        document = None
    files = await asyncio.to_thread(documents.load, audit_id)
    upload = next((f for f in files if f.role == DOCUMENT), None)
    original = Original(upload.filename, upload.data) if upload else None
    return Paper(reduced, document, original, generated_at=now_ts())
