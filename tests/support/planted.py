"""The bundled samples, read once per test session, and one error planted in a sample's data.

`committed(name)` reads a committed sample document; `planted(name, edit)` rebuilds the Word
document from the sample's YAML after `edit` changed it (the way bench/quality/inject.py does)
and reads it back. The unchanged rebuild (`planted(name, NO_EDIT)`) and every committed
document are cached for the whole session: several test modules compare against them, and
building a Word document from YAML is the slowest step of those tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from bench.samples.build import _table_specs, build_docx, load_set
from server.ingest.document import Document
from server.ingest.reader import read_document
from tests.support.paths import SAMPLES

Data = dict[str, Any]
Edit = Callable[[Data], None]


def _no_edit(data: Data) -> None:
    """Leave the data as it is."""


NO_EDIT: Edit = _no_edit


@cache
def committed(name: str) -> Document:
    """A committed sample document (e.g. "fanmilk-2024.docx"), read once per session."""
    return read_document((SAMPLES / name).read_bytes(), name)


@cache
def sample_data(name: str) -> Data:
    """A sample's YAML data, loaded once; callers that change it must copy it first."""
    return load_set(name)


@cache
def rebuilt_docx(name: str) -> bytes:
    """The Word document built from a sample's unchanged data, built once per session."""
    return build_docx(copy.deepcopy(sample_data(name)))


def planted(name: str, edit: Edit) -> Document:
    """The sample rebuilt with `edit` applied to a copy of its data, read back."""
    if edit is NO_EDIT:
        return _clean(name)
    data = copy.deepcopy(sample_data(name))
    edit(data)
    return read_document(build_docx(data), f"{name}.docx")


@cache
def _clean(name: str) -> Document:
    return read_document(rebuilt_docx(name), f"{name}.docx")


def paragraphs(data: Data) -> Iterator[Data]:
    yield from (b for b in data.get("front", []) if "p" in b)
    for stmt in data.get("statements", []):
        yield from (b for b in stmt.get("after", []) if "p" in b)
    for note in data.get("notes", []):
        yield from (b for b in note.get("blocks", []) if "p" in b)


def edit_text(old: str, new: str) -> Edit:
    def edit(data: Data) -> None:
        hits = [b for b in paragraphs(data) if old in " ".join(b["p"].split())]
        assert len(hits) == 1, f"{old!r} found {len(hits)} times"
        hits[0]["p"] = " ".join(hits[0]["p"].split()).replace(old, new)

    return edit


def edit_cell(table: str, label: str, column: int, value: float) -> Edit:
    def edit(data: Data) -> None:
        spec = dict(_table_specs(data))[table]
        row = next(r for r in spec["rows"] if r.get("l") == label)
        row["v"][column] = value

    return edit


def drop_tagged(tag: str) -> Edit:
    def edit(data: Data) -> None:
        for block in paragraphs(data):
            if tag in block.get("tags", []):
                block["p"] = ""
        for part in [data.get("front", []), *[n.get("blocks", []) for n in data.get("notes", [])]]:
            part[:] = [b for b in part if not ("p" in b and not b["p"])]

    return edit


def drop_note(title: str) -> Edit:
    def edit(data: Data) -> None:
        before = len(data["notes"])
        data["notes"] = [n for n in data["notes"] if n["title"] != title]
        assert len(data["notes"]) == before - 1, title

    return edit
