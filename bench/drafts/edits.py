"""What happens to a set of statements between two drafts, as edits of the YAML data.

Every edit works on the data (bench/samples/data) like the injector does, so the builder
renders each draft exactly as it renders the samples, and the edit is known precisely:

- `insert_rows`: a nil line ("-" in every column) inserted before a row of a table, so every
  row below it moves down one and no figure changes;
- `insert_note`: a new note (a paragraph and a small table that foots) in a free number between
  two existing notes, and a paragraph at the very start: later tables and paragraphs move;
- `insert_front_table` and `renumber_notes`: a table before the statements (every table id
  moves) and a new note 1 with every other note renumbered, with the note column of the
  statements, the "2.1 ..." sub-headings and the "see note 12" references in the text following;
- `change_planted`: each planted figure or sentence value changed to another wrong value.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from bench.quality.inject import Case, CellTarget
from bench.samples.build import Data, _table_specs, format_amount

_NOTE_REFERENCE = re.compile(r"\b([Nn]otes? )(\d+)\b")
_SUBHEADING = re.compile(r"^(\d+)(\.\d+)")
_DATE = re.compile(r"^(\d{1,2})( [A-Z][a-z]+ \d{4})$")
_PLANTED = re.compile(r"'([^']+)' -> '([^']+)'")

INSERTED_ROW = "Sundry items"
INSERTED_NOTE_TITLE = "Auditor's remuneration"
INSERTED_PARAGRAPH = (
    "This draft supersedes the draft of the financial statements circulated earlier."
)
FRONT_TABLE_TITLE = "Key figures"
NEW_FIRST_NOTE_TITLE = "About these notes"


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _specs(data: Data) -> dict[str, Data]:
    return dict(_table_specs(data))


def _width(data: Data, spec: Data) -> int:
    return len(spec.get("columns") or data["periods"])


def insert_rows(data: Data, tables: Iterable[tuple[str, int]]) -> Data:
    """A nil line inserted before row `index` of each table `key` (indices of the given data)."""
    out = copy.deepcopy(data)
    specs = _specs(out)
    for key, index in sorted(set(tables), key=lambda t: (t[0], -t[1])):
        spec = specs[key]
        spec["rows"].insert(index, {"l": INSERTED_ROW, "v": [None] * _width(out, spec)})
    return out


def planted_rows(data: Data, cases: Iterable[Case]) -> list[tuple[str, int]]:
    """Where a line goes so every planted cell moves: just above each planted row; and at the
    top of every primary statement."""
    out = [(s["key"], 1) for s in data.get("statements", [])]
    specs = _specs(data)
    for case in cases:
        for target in case.cells:
            index = _row_index(specs[target.table], target)
            if index is not None:
                out.append((target.table, index))
    return out


def _row_index(spec: Data, target: CellTarget) -> int | None:
    for i, row in enumerate(spec["rows"]):
        if _clean(row.get("l", "")) != target.row or "v" not in row:
            continue
        if _printed(row, target.column) == target.text:
            return i
    return None


def _printed(row: Data, column: int) -> str:
    value = row["v"][column] if column < len(row["v"]) else None
    if isinstance(value, str):
        return value
    return format_amount(value, int(row.get("decimals", 0)))


def free_note_number(data: Data) -> tuple[int, str]:
    """The position (in the notes list) and number of a note that fits between two others,
    starting from the middle of the notes."""
    notes = data["notes"]
    numbers = [int(n["number"]) for n in notes]
    for i in range(len(notes) // 2, len(notes)):
        following = numbers[i + 1] if i + 1 < len(notes) else None
        if following is None or numbers[i] + 1 < following:
            return i + 1, str(numbers[i] + 1)
    raise ValueError(f"{data['id']}: no notes")


def insert_note(data: Data) -> Data:
    """A new note in a free number between two existing notes, and a paragraph at the start."""
    out = copy.deepcopy(data)
    position, number = free_note_number(out)
    note = {
        "number": number,
        "title": INSERTED_NOTE_TITLE,
        "blocks": [
            {
                "p": "The fees payable to the auditor for the audit of these financial "
                "statements and for other services were as follows."
            },
            {
                "table": {
                    "rows": [
                        {"l": "Audit of the financial statements", "v": [120, 110]},
                        {"l": "Other assurance services", "v": [15, 12]},
                        {"l": "Total auditor's remuneration", "v": [135, 122], "r": "total"},
                    ]
                }
            },
        ],
    }
    out["notes"].insert(position, note)
    out["front"] = [{"p": INSERTED_PARAGRAPH}, *out.get("front", [])]
    return out


def insert_front_table(data: Data) -> Data:
    """A small table before everything else, so every table of the draft gets a new id."""
    out = copy.deepcopy(data)
    width = len(out["periods"])
    rows = [
        {"l": "Number of offices", "v": [4, 5][:width] + [None] * (width - 2)},
        {"l": "Number of countries of operation", "v": [2, 2][:width] + [None] * (width - 2)},
    ]
    out["front"] = [{"h1": FRONT_TABLE_TITLE}, {"table": {"rows": rows}}, *out.get("front", [])]
    return out


def renumber_notes(data: Data) -> Data:
    """A new note 1; every other note moves up by one, with every reference to it."""
    out = copy.deepcopy(data)
    mapping = {str(n["number"]): str(int(n["number"]) + 1) for n in out["notes"]}

    def text(value: str) -> str:
        return _NOTE_REFERENCE.sub(
            lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)), value
        )

    for note in out["notes"]:
        old = str(note["number"])
        note["number"] = mapping[old]
        for block in note.get("blocks", []):
            for level in ("h2", "h3"):
                if level in block:  # "2.1 Basis of preparation" under note 2
                    found = _SUBHEADING.match(str(block[level]))
                    if found and found.group(1) == old:
                        block[level] = note["number"] + str(block[level])[len(old) :]
            if "p" in block:
                block["p"] = text(block["p"])
    for _key, spec in _table_specs(out):
        for row in spec["rows"]:
            if "n" in row:
                row["n"] = ", ".join(
                    mapping.get(n.strip(), n.strip()) for n in str(row["n"]).split(",")
                )
    for stmt in out.get("statements", []):
        for block in stmt.get("after", []):
            if "p" in block:
                block["p"] = text(block["p"])
    for block in [*out.get("front", []), *out.get("back", [])]:
        if "p" in block:
            block["p"] = text(block["p"])
    first = {
        "number": "1",
        "title": NEW_FIRST_NOTE_TITLE,
        "blocks": [
            {
                "p": "The notes below form part of these financial statements and are "
                "numbered in the order of the statements they explain."
            }
        ],
    }
    out["notes"].insert(0, first)
    return out


def change_planted(data: Data, clean: Data, cases: Iterable[Case]) -> Data:
    """Every planted figure and sentence value changed to another value that is still wrong.

    Removals (a note, going-concern or memo paragraphs) cannot change and stay removed."""
    out = copy.deepcopy(data)
    specs, clean_specs = _specs(out), _specs(clean)
    for case in cases:
        if case.cells:
            _change_cells(specs, clean_specs, case.cells)
        elif case.paragraphs:
            _change_sentence(out, case)
    return out


def _change_cells(
    specs: dict[str, Data], clean_specs: dict[str, Data], cells: tuple[CellTarget, ...]
) -> None:
    sign = 1
    for target in cells:  # a reclassified comparative moves to a partner: keep their sum
        spec = specs[target.table]
        index = _row_index(spec, target)
        if index is None:
            raise ValueError(f"planted cell {target} not found")
        row = spec["rows"][index]
        value = row["v"][target.column] or 0
        original = clean_specs[target.table]["rows"][index]["v"][target.column]
        step = max(7, round(abs(value) * 0.01)) * sign
        new = value + step
        if new == original:
            new += step
        row["v"][target.column] = new
        sign = -sign


def _change_sentence(data: Data, case: Case) -> None:
    found = _PLANTED.search(case.description)
    if not found:
        raise ValueError(f"no planted value in {case.description!r}")
    old, planted = found.group(1), found.group(2)
    wanted = _clean(case.paragraphs[0])
    for block in _paragraph_blocks(data):
        text = _clean(block["p"])
        if text != wanted:
            continue
        block["p"] = text.replace(planted, _still_wrong(planted, old), 1)
        return
    raise ValueError(f"planted sentence of {case.site} not found")


def _paragraph_blocks(data: Data) -> Iterable[Data]:
    yield from (b for b in data.get("front", []) if "p" in b)
    for stmt in data.get("statements", []):
        yield from (b for b in stmt.get("after", []) if "p" in b)
    for note in data.get("notes", []):
        yield from (b for b in note.get("blocks", []) if "p" in b)


def _still_wrong(planted: str, original: str) -> str:
    """Another wrong value in the planted value's form: the day of a date moved back one, or
    the last digit of a number or identifier moved on (never back to the original)."""
    date = _DATE.match(planted)
    if date:
        return f"{int(date.group(1)) - 1 or 2}{date.group(2)}"
    digits = [i for i, ch in enumerate(planted) if ch.isdigit()]
    if not digits:
        raise ValueError(f"cannot change {planted!r}")
    i = digits[-1]
    for step in (1, 2):
        new = planted[:i] + str((int(planted[i]) + step) % 10) + planted[i + 1 :]
        if new != original:
            return new
    raise AssertionError("unreachable")


__all__ = [
    "INSERTED_NOTE_TITLE",
    "INSERTED_PARAGRAPH",
    "INSERTED_ROW",
    "change_planted",
    "insert_front_table",
    "insert_note",
    "insert_rows",
    "planted_rows",
    "renumber_notes",
]
