"""The uploaded documents and the parsed report, in `documents.sqlite3`.

A 25 MB insert takes tens of milliseconds, so every method here is blocking and meant for a
worker thread (`asyncio.to_thread`); each call opens its own short-lived connection, so threads
never share one, and being a separate file its write lock never blocks an event append.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.storage.sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    audit_id TEXT NOT NULL,
    role     TEXT NOT NULL,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    data     BLOB NOT NULL,
    PRIMARY KEY (audit_id, role, position)
);
CREATE TABLE IF NOT EXISTS parsed (
    audit_id TEXT PRIMARY KEY,
    body     TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class StoredFile:
    role: str  # "document" | "prior_year" | "memo"
    position: int
    filename: str
    data: bytes


class DocumentDatabase:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "documents.sqlite3"

    def open(self) -> None:
        """Create the file and its tables if missing (blocking, once at start-up)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(self.path)
        try:
            conn.executescript(_SCHEMA)
        finally:
            conn.close()

    def save(self, audit_id: str, files: list[StoredFile]) -> None:
        conn = connect(self.path)
        try:
            with conn:
                conn.executemany(
                    "INSERT INTO documents (audit_id, role, position, filename, data)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(audit_id, f.role, f.position, f.filename, f.data) for f in files],
                )
        finally:
            conn.close()

    def load(self, audit_id: str) -> list[StoredFile]:
        conn = connect(self.path)
        try:
            rows = conn.execute(
                "SELECT role, position, filename, data FROM documents WHERE audit_id = ?"
                " ORDER BY role, position",
                (audit_id,),
            ).fetchall()
        finally:
            conn.close()
        return [
            StoredFile(role, position, filename, bytes(data))
            for role, position, filename, data in rows
        ]

    def delete(self, audit_id: str) -> None:
        conn = connect(self.path)
        try:
            with conn:
                conn.execute("DELETE FROM documents WHERE audit_id = ?", (audit_id,))
                conn.execute("DELETE FROM parsed WHERE audit_id = ?", (audit_id,))
        finally:
            conn.close()

    def save_parsed(self, audit_id: str, body: str) -> None:
        """The parsed report as served by GET .../document (JSON text)."""
        conn = connect(self.path)
        try:
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO parsed (audit_id, body) VALUES (?, ?)", (audit_id, body)
                )
        finally:
            conn.close()

    def load_parsed(self, audit_id: str) -> str | None:
        conn = connect(self.path)
        try:
            row = conn.execute("SELECT body FROM parsed WHERE audit_id = ?", (audit_id,)).fetchone()
        finally:
            conn.close()
        return str(row[0]) if row else None
