"""How every Crosscheck database is opened: WAL, synchronous=NORMAL (a commit survives a
process crash; only an OS crash may lose the last transactions), usable from any thread."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, timeout=10.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn
