"""Audit records, their event logs and their review logs, in `crosscheck.sqlite3`.

Each audit has two logs, numbered apart: `events` (what the agents found, ending with
audit_finished) and `review_events` (decisions, sign-off, the drafts comparison; never ending).
Both are append-only: rows are inserted, never updated, and deleted only with the audit.

It is written only from the event-loop thread, one short transaction per event (WAL,
synchronous=NORMAL: a commit survives a process crash), so an append costs tens of microseconds
and the loop never waits on a lock. An event and the audit state it changes are written in one
transaction, so the audit list never disagrees with the log.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from server.storage.sqlite import connect

LogTable = Literal["events", "review_events"]  # the two append-only logs of an audit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audits (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    document_name TEXT NOT NULL,
    sample        TEXT,
    previous      TEXT,
    state         TEXT NOT NULL,
    finished_at   TEXT,
    findings      TEXT
);
CREATE INDEX IF NOT EXISTS audits_by_created ON audits (created_at);
CREATE TABLE IF NOT EXISTS events (
    audit_id TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    type     TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (audit_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS review_events (
    audit_id TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    type     TEXT NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (audit_id, seq)
) WITHOUT ROWID;
"""
# Columns added after a table first shipped: (table, column, declaration), added when missing.
_ADDED_COLUMNS = (("audits", "previous", "TEXT"),)

UNFINISHED_STATES = ("pending", "running")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    audit_id: str
    created_at: str
    document_name: str
    state: str
    sample: str | None = None
    finished_at: str | None = None
    findings: dict[str, int] | None = None
    previous: str | None = None  # the earlier draft's audit id, for a next draft


class AuditDatabase:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "crosscheck.sqlite3"
        self._db: sqlite3.Connection | None = None

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = connect(self.path)
        self._db.executescript(_SCHEMA)
        for table, column, declaration in _ADDED_COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(
                "AuditDatabase is not open: call open() first (the app lifespan does)."
            )
        return self._db

    # -- audits ----------------------------------------------------------------------------

    def create_audit(self, record: AuditRecord) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO audits (id, created_at, document_name, sample, state, previous)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.audit_id,
                    record.created_at,
                    record.document_name,
                    record.sample,
                    record.state,
                    record.previous,
                ),
            )

    def has_audit(self, audit_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM audits WHERE id = ?", (audit_id,)).fetchone() is not None
        )

    def get_audit(self, audit_id: str) -> AuditRecord | None:
        row = self.db.execute(_SELECT_AUDIT + " WHERE id = ?", (audit_id,)).fetchone()
        return _record(row) if row else None

    def list_audits(self, limit: int) -> list[AuditRecord]:
        rows = self.db.execute(
            _SELECT_AUDIT + " ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_record(r) for r in rows]

    def unfinished_audits(self) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM audits WHERE state IN (?, ?) ORDER BY created_at", UNFINISHED_STATES
        ).fetchall()
        return [r[0] for r in rows]

    def finished_drafts_without_comparison(self) -> list[tuple[str, str]]:
        """(audit id, previous id) of finished drafts whose review log has no drafts_compared."""
        rows = self.db.execute(
            "SELECT id, previous FROM audits WHERE previous IS NOT NULL AND state NOT IN (?, ?)"
            " AND NOT EXISTS (SELECT 1 FROM review_events r WHERE r.audit_id = audits.id"
            " AND r.type = 'drafts_compared') ORDER BY created_at",
            UNFINISHED_STATES,
        ).fetchall()
        return [(str(audit_id), str(previous)) for audit_id, previous in rows]

    def delete_audit(self, audit_id: str) -> bool:
        """Removes the record and both its logs; the documents go with delete_documents()."""
        with self.db:
            self.db.execute("DELETE FROM events WHERE audit_id = ?", (audit_id,))
            self.db.execute("DELETE FROM review_events WHERE audit_id = ?", (audit_id,))
            cursor = self.db.execute("DELETE FROM audits WHERE id = ?", (audit_id,))
        return cursor.rowcount > 0

    # -- events ----------------------------------------------------------------------------

    def append_event(
        self,
        audit_id: str,
        seq: int,
        event_type: str,
        body: str,
        state: str | None = None,
        finished_at: str | None = None,
        findings: dict[str, Any] | None = None,
    ) -> None:
        """One transaction: the event and, when it changes it, the audit's state."""
        with self.db:
            self.db.execute(
                "INSERT INTO events (audit_id, seq, type, body) VALUES (?, ?, ?, ?)",
                (audit_id, seq, event_type, body),
            )
            if state is not None:
                self.db.execute(
                    "UPDATE audits SET state = ?, finished_at = COALESCE(?, finished_at),"
                    " findings = COALESCE(?, findings) WHERE id = ?",
                    (state, finished_at, json.dumps(findings) if findings else None, audit_id),
                )

    def read_events(self, audit_id: str, after: int = 0) -> list[tuple[int, str, str]]:
        """(seq, type, body) of every event with seq > after, in order."""
        return self._read("events", audit_id, after)

    def last_event(self, audit_id: str) -> tuple[int, str] | None:
        """(seq, type) of the newest event, or None for an empty log."""
        return self._last("events", audit_id)

    def _read(self, table: LogTable, audit_id: str, after: int) -> list[tuple[int, str, str]]:
        rows = self.db.execute(
            f"SELECT seq, type, body FROM {table} WHERE audit_id = ? AND seq > ? ORDER BY seq",
            (audit_id, after),
        ).fetchall()
        return [(int(seq), str(kind), str(body)) for seq, kind, body in rows]

    def _last(self, table: LogTable, audit_id: str) -> tuple[int, str] | None:
        row = self.db.execute(
            f"SELECT seq, type FROM {table} WHERE audit_id = ? ORDER BY seq DESC LIMIT 1",
            (audit_id,),
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    # -- review events ---------------------------------------------------------------------

    def append_review_event(self, audit_id: str, seq: int, event_type: str, body: str) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO review_events (audit_id, seq, type, body) VALUES (?, ?, ?, ?)",
                (audit_id, seq, event_type, body),
            )

    def read_review_events(self, audit_id: str, after: int = 0) -> list[tuple[int, str, str]]:
        """(seq, type, body) of every review event with seq > after, in order."""
        return self._read("review_events", audit_id, after)

    def last_review_event(self, audit_id: str) -> tuple[int, str] | None:
        """(seq, type) of the newest review event, or None for an empty review log."""
        return self._last("review_events", audit_id)


_SELECT_AUDIT = (
    "SELECT id, created_at, document_name, state, sample, finished_at, findings, previous"
    " FROM audits"
)


def _record(row: tuple[Any, ...]) -> AuditRecord:
    audit_id, created_at, name, state, sample, finished_at, findings, previous = row
    return AuditRecord(
        audit_id=audit_id,
        created_at=created_at,
        document_name=name,
        state=state,
        sample=sample,
        finished_at=finished_at,
        findings=json.loads(findings) if findings else None,
        previous=previous,
    )
