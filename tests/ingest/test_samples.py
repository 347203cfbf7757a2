"""The sample Word documents built from real published statements, read against their own data.

Each sample's YAML (bench/samples/data) is the truth the .docx was written from: the reader must
find every statement, its lines in order with their figures and note references, its scale and
periods, every note's tables, and the entity, reporting date and currency.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from server.ingest.document import ColumnRole, Document, RowKind, StatementKind, Table
from tests.support.builders import document_schema_errors
from tests.support.paths import SAMPLE_DATA, SAMPLES
from tests.support.planted import committed, sample_data

DATA = SAMPLE_DATA


def _sets() -> list[str]:
    if not DATA.exists():
        return []
    names = []
    for path in sorted(DATA.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("statements") and (SAMPLES / f"{path.stem}.docx").exists():
            names.append(path.stem)
    return names


SETS = _sets()


@pytest.fixture(scope="module", params=SETS)
def sample(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Document]:
    """A sample's data and its committed document, read once per session (tests/support)."""
    name = request.param
    return sample_data(name), committed(f"{name}.docx")


def _norm(label: str) -> str:
    return re.sub(r"\s+", " ", label.replace("\u00a0", " ")).strip().casefold()


def _parts(doc: Document, first: Table) -> list[Table]:
    """A table and the tables that continue it."""
    chain = [first]
    for table in doc.tables:
        if table.continued_from == chain[-1].id:
            chain.append(table)
    return chain


def _statement_rows(
    doc: Document, kind: StatementKind, occurrence: int = 0
) -> tuple[list[Table], list[Any]]:
    """The `occurrence`-th statement of `kind` (2024 and 2023 may be separate tables)."""
    firsts = [t for t in doc.statement_tables(kind) if t.continued_from is None]
    assert len(firsts) > occurrence, (
        f"no {kind.value} #{occurrence}; found {[t.statement for t in doc.tables]}"
    )
    parts = _parts(doc, firsts[occurrence])
    rows = [r for t in parts for r in t.rows if r.kind is not RowKind.SPACER]
    return parts, rows


def test_samples_exist() -> None:
    assert SETS, "bench/samples/data has no statement sets with a built .docx"
    listed = json.loads((SAMPLES / "samples.json").read_text(encoding="utf-8"))
    for entry in listed:
        assert (SAMPLES / entry["document"]).exists()


def test_document_facts_match_the_data(sample: tuple[dict[str, Any], Document]) -> None:
    data, doc = sample
    assert doc.entity_name == data["entity"]["name"]
    assert doc.reporting_date == data["reporting_date"]
    assert doc.currency == data["currency"]


def _specs(data: dict[str, Any]) -> list[tuple[StatementKind, int, dict[str, Any]]]:
    seen: dict[StatementKind, int] = {}
    out = []
    for spec in data["statements"]:
        kind = StatementKind(spec["kind"])
        out.append((kind, seen.get(kind, 0), spec))
        seen[kind] = seen.get(kind, 0) + 1
    return out


def test_every_statement_is_recognised_with_its_lines_figures_and_notes(
    sample: tuple[dict[str, Any], Document],
) -> None:
    data, doc = sample
    for kind, occurrence, spec in _specs(data):
        parts, rows = _statement_rows(doc, kind, occurrence)
        expected = [r for r in spec["rows"] if r.get("r") != "spacer"]
        assert len(rows) == len(expected), (kind, [r.label for r in rows])
        amount = [c.index for c in parts[0].amount_columns()]
        width = len(spec.get("columns") or data["periods"])
        assert len(amount) == width, (kind, [c.header for c in parts[0].columns])
        for got, want in zip(rows, expected, strict=True):
            assert _norm(got.label) == _norm(want.get("l", "")), kind
            if "v" in want:
                values = [got.value(c) for c in amount]
                assert values == [0.0 if v is None else v for v in want["v"]], (kind, want.get("l"))
            assert got.note == (str(want["n"]) if "n" in want else None), (kind, want.get("l"))


def test_scale_currency_and_note_columns_of_statements(
    sample: tuple[dict[str, Any], Document],
) -> None:
    data, doc = sample
    for kind, occurrence, spec in _specs(data):
        for table in _statement_rows(doc, kind, occurrence)[0]:
            assert table.scale_label == data["scale"], (kind, table.id)
            assert table.currency == data["currency"], (kind, table.id)
            has_note = any("n" in r for r in spec["rows"])
            roles = [c.role for c in table.columns]
            assert (ColumnRole.NOTE in roles) == has_note, (kind, roles)


def test_statement_columns_carry_their_periods(sample: tuple[dict[str, Any], Document]) -> None:
    data, doc = sample
    current = int(data["reporting_date"][:4])
    for kind, occurrence, spec in _specs(data):
        table = _statement_rows(doc, kind, occurrence)[0][0]
        columns = table.amount_columns()
        if spec.get("columns"):  # changes in equity: the columns are components
            assert all(c.period is None for c in columns)
            continue
        assert [c.period for c in columns] == [str(p) for p in data["periods"]]
        assert [c.year for c in columns] == [current - i for i in range(len(columns))]
        assert columns[0].period_end == data["reporting_date"]


def test_every_note_and_its_tables_are_found(sample: tuple[dict[str, Any], Document]) -> None:
    data, doc = sample
    numbers = {s.note_number for s in doc.sections if s.note_number}
    for note in data.get("notes", []):
        number = str(note["number"])
        assert number in numbers, f"note {number} {note.get('title')!r} not found"
        tables = [b for b in note.get("blocks", []) if "table" in b]
        parts = sum(2 if b["table"].get("split_after") else 1 for b in tables)
        assert len(doc.note_tables(number)) == parts, number


def test_wire_form_matches_the_document_schema(sample: tuple[dict[str, Any], Document]) -> None:
    assert document_schema_errors(sample[1]) == []
