"""Parsed documents kept between runs, so iterating on the agents does not re-read 300-s PDFs.

An entry is keyed by the file's SHA-256 and the reader's code version: a hash of every source
file under `server/ingest/` plus the versions of the parsing libraries. Changing the reader (or
merging a branch that does) therefore misses the cache by itself; nothing needs clearing by hand.
An entry holds the pickled `Document` and the figures of the read that made it (time, memory),
which the benchmark shows marked as cached.

The structure inference (`server/ingest/structure.py`, the reader's last step) is left out of
the hash and run again on every document loaded: tuning what totals sum then needs no re-read.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import server.ingest
from server.ingest.structure import infer_document_structure

_REINFERRED = Path("structure.py")  # rerun on load, so not part of the reader's version

_LIBRARIES = ("pdfplumber", "pdfminer.six", "pypdfium2", "python-docx", "lxml", "markdown-it-py")


@cache
def reader_version() -> str:
    """A short hash of the reader's sources and its libraries' versions."""
    digest = hashlib.sha256()
    root = Path(server.ingest.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.relative_to(root) == _REINFERRED:
            continue
        if path.is_file() and path.suffix in {".py", ".json", ".yaml", ".txt"}:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}".encode())
    return digest.hexdigest()[:16]


def file_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(slots=True)
class CachedRead:
    document: Any  # server.ingest.document.Document
    read_s: float
    read_peak_mb: float
    base_mb: float


class DocumentCache:
    """A folder of pickles named `<file hash>-<reader version>.pickle`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, data: bytes) -> Path:
        return self.folder / f"{file_key(data)}-{reader_version()}.pickle"

    def load(self, data: bytes) -> CachedRead | None:
        path = self._path(data)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                entry = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # a damaged or stale entry is simply read again
        if not isinstance(entry, CachedRead):
            return None
        infer_document_structure(entry.document)  # today's structure code, on yesterday's read
        return entry

    def store(self, data: bytes, entry: CachedRead) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(data)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)  # atomic: a parallel job never sees half an entry
