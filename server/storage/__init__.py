"""SQLite storage, two databases on purpose (see each module for why):

- `audits.AuditDatabase` (`crosscheck.sqlite3`): audit records and their event logs, written only
  from the event-loop thread, one short transaction per event;
- `documents.DocumentDatabase` (`documents.sqlite3`): the uploaded bytes and the parsed report,
  large writes done in worker threads, whose write lock never blocks an event append.

An audit's documents are written before its record, so a record never points at missing bytes.
"""

from server.storage.audits import AuditDatabase, AuditRecord
from server.storage.documents import DocumentDatabase, StoredFile

__all__ = ["AuditDatabase", "AuditRecord", "DocumentDatabase", "StoredFile"]
