"""Build the bundled sample statements: YAML data under `data/` -> Word documents.

The documents imitate how preparers really lay statements out in Word, because that is what the
readers and agents must survive (see /work/shared/notes/audit-checks.md): the statement title may
live only in the page header, the first header cell carries scale and currency, a "Note" column,
spacer rows, totals after a ruled line (sometimes with no label), labels in capitals, non-breaking
spaces in dates, a long table continued as a second table headed "(continued)", merged group
headings, parentheses for negatives and "-" for nil.

Output is deterministic in content (fixed core properties); the zip container still carries
write times, so compare extracted text, never bytes.

    .venv/bin/python -m bench.samples.build        # rebuild every committed sample
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.table import _Cell

from server.samples import SAMPLES_DIR

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
MANIFEST = SAMPLES_DIR / "samples.json"
FIXED_TIME = datetime(2025, 1, 1, 0, 0, 0)
NBSP = "\u00a0"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_RE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")

Data = dict[str, Any]


def load_set(name: str) -> Data:
    """Read one YAML data set by its file stem (e.g. "fanmilk-2024")."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        data: Data = yaml.safe_load(fh)
    validate(data)
    return data


ROW_KEYS = {"l", "n", "v", "r", "decimals", "of"}  # of: what a total sums, when not the rows above
ROLES = {"item", "heading", "subtotal", "total", "spacer", "opening"}


def _table_specs(data: Data) -> list[tuple[str, Data]]:
    """Every table spec with a stable key: statement key, or "note:<number>" (+ "#i" after the first)."""
    out: list[tuple[str, Data]] = [(s["key"], s) for s in data.get("statements", [])]
    for note in data.get("notes", []):
        i = 0
        for block in note.get("blocks", []):
            if "table" in block:
                key = f"note:{note['number']}" + (f"#{i}" if i else "")
                out.append((key, block["table"]))
                i += 1
    return out


def validate(data: Data) -> None:
    """Catch YAML slips (an unquoted comma splits a flow mapping) before they become documents."""
    for key, spec in _table_specs(data):
        width = len(spec.get("columns") or data["periods"])
        for row in spec["rows"]:
            extra = set(row) - ROW_KEYS
            if extra:
                raise ValueError(f"{data['id']} {key}: row {row} has unknown keys {extra}")
            if row.get("r", "item") not in ROLES:
                raise ValueError(f"{data['id']} {key}: row {row} has unknown role")
            if "v" in row and len(row["v"]) != width:
                raise ValueError(f"{data['id']} {key}: row {row.get('l')!r} needs {width} values")


def format_amount(value: float | int | None, decimals: int = 0) -> str:
    """Print a figure the way statements do: 1,234 / (1,234) / '-' for nil."""
    if value is None:
        return "-"
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if value < 0 else text


def nbsp_dates(text: str) -> str:
    """Glue "1 January 2024" together with non-breaking spaces, as Word users do."""
    return _DATE_RE.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}{NBSP}{m.group(3)}", text)


def _clean(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------------
# Low-level Word helpers


def _set_cell_border(cell: _Cell, edge: str, val: str = "single", size: int = 6) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), "000000")
    borders.append(el)


def _write_cell(
    cell: _Cell, text: str, *, bold: bool = False, right: bool = False, italic: bool = False
) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    if bold:  # set only when true: each property costs an XML search in python-docx
        run.bold = True
    if italic:
        run.italic = True
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


# ---------------------------------------------------------------------------------------------
# Tables


def _amount_headers(data: Data, spec: Data) -> list[str]:
    columns = spec.get("columns")
    return [str(c) for c in columns] if columns else [str(p) for p in data["periods"]]


def _label_text(data: Data, row: Data) -> str:
    label = _clean(row.get("l", ""))
    role = row.get("r", "item")
    style = data.get("style", {})
    if style.get("caps_totals") and role in ("subtotal", "total") and label:
        label = label.upper()
    if style.get("nbsp", True):
        label = nbsp_dates(label)
    return label


def _add_table(
    doc: DocxDocument,
    data: Data,
    spec: Data,
    *,
    first_header: str,
    rows: list[Data],
    with_note: bool,
) -> DocxTable:
    amounts = _amount_headers(data, spec)
    headers = [first_header] + (["Note"] if with_note else []) + amounts
    table = doc.add_table(rows=1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for i, text in enumerate(headers):
        _write_cell(head.cells[i], text, bold=True, right=i > 0, italic=i == 0)
        _set_cell_border(head.cells[i], "bottom")
    n_amounts = len(amounts)
    for row in rows:
        role = row.get("r", "item")
        cells = table.add_row().cells
        if role == "spacer":
            continue
        if role == "heading":
            merged = cells[0].merge(cells[-1])
            _write_cell(merged, _label_text(data, row), bold=True)
            continue
        values = list(row.get("v", [None] * n_amounts))
        if len(values) != n_amounts:
            raise ValueError(f"row {row.get('l')!r} has {len(values)} values, expected {n_amounts}")
        bold = role in ("subtotal", "total")
        _write_cell(cells[0], _label_text(data, row), bold=bold)
        offset = 1
        if with_note:
            _write_cell(cells[1], str(row.get("n", "")), right=True)
            offset = 2
        decimals = int(row.get("decimals", 0))
        for j, value in enumerate(values):
            cell = cells[offset + j]
            text = value if isinstance(value, str) else format_amount(value, decimals)
            _write_cell(cell, text, bold=bold, right=True)
            if bold:
                _set_cell_border(cell, "top")
            if role == "total":
                _set_cell_border(cell, "bottom", val="double")
    return table


def _add_split_table(
    doc: DocxDocument, data: Data, spec: Data, *, first_header: str, title: str
) -> None:
    rows: list[Data] = spec["rows"]
    with_note = any("n" in r for r in rows)
    split = spec.get("split_after")
    if not split or split >= len(rows):
        _add_table(doc, data, spec, first_header=first_header, rows=rows, with_note=with_note)
        return
    _add_table(doc, data, spec, first_header=first_header, rows=rows[:split], with_note=with_note)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    cont = doc.add_paragraph()
    cont.add_run(f"{title} (continued)" if title else "(continued)").italic = True
    _add_table(doc, data, spec, first_header=first_header, rows=rows[split:], with_note=with_note)


# ---------------------------------------------------------------------------------------------
# Paragraph blocks


def _add_blocks(doc: DocxDocument, data: Data, blocks: list[Data], note_title: str = "") -> None:
    style = data.get("style", {})
    for block in blocks:
        if "h1" in block:
            doc.add_heading(_clean(block["h1"]), level=1)
        elif "h2" in block:
            doc.add_heading(_clean(block["h2"]), level=2)
        elif "h3" in block:
            doc.add_heading(_clean(block["h3"]), level=3)
        elif "p" in block:
            text = _clean(block["p"])
            if style.get("nbsp", True):
                text = nbsp_dates(text)
            doc.add_paragraph(text)
        elif "table" in block:
            spec = block["table"]
            first = style.get("note_scale_header", f"{data['currency_symbol']}'000")
            _add_split_table(doc, data, spec, first_header=first, title=note_title)
        else:
            raise ValueError(f"unknown block {sorted(block)}")


def _new_section(doc: DocxDocument, header_text: str | None) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.header.is_linked_to_previous = False
    para = section.header.paragraphs[0]
    para.text = header_text or ""


def _new_doc() -> DocxDocument:
    doc = new_document()
    doc.styles["Normal"].font.size = Pt(9)
    return doc


def build_docx(data: Data) -> bytes:
    """Render one data set as a Word document and return the .docx bytes."""
    doc = _new_doc()
    props = doc.core_properties
    props.author = "Crosscheck samples"
    props.title = data.get("title", "")
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    style = data.get("style", {})
    entity = data["entity"]["name"]
    in_header = bool(style.get("title_in_header"))

    cover = doc.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.add_run(style.get("cover_title", entity.upper())).bold = True
    if style.get("cover_subtitle"):
        sub = doc.add_paragraph(style["cover_subtitle"])
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.sections[0].header.paragraphs[0].text = entity
    _add_blocks(doc, data, data.get("front", []))

    for stmt in data["statements"]:
        title = _clean(stmt["title"])
        if in_header:
            _new_section(doc, f"{entity}\n{title}")
        else:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            doc.add_heading(title, level=1)
        short = title.split(" for the ")[0].split(" at ")[0]
        _add_split_table(doc, data, stmt, first_header=style["scale_header"], title=short)
        _add_blocks(doc, data, stmt.get("after", []))

    if data.get("notes"):
        notes_title = "Notes to the financial statements"
        if in_header:
            _new_section(doc, f"{entity}\n{notes_title}")
        else:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(notes_title, level=1)
        for note in data["notes"]:
            heading = f"{note['number']}. {_clean(note['title'])}"
            doc.add_heading(heading, level=2)
            _add_blocks(doc, data, note.get("blocks", []), note_title=heading)
    _add_blocks(doc, data, data.get("back", []))

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build_memo(data: Data) -> bytes:
    """Render a board-minutes memo (title, date line, paragraphs) as .docx."""
    doc = _new_doc()
    props = doc.core_properties
    props.author = "Crosscheck samples"
    props.title = data["title"]
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    doc.add_heading(data["title"], level=1)
    for line in data.get("header_lines", []):
        doc.add_paragraph(nbsp_dates(_clean(line)))
    for item in data["items"]:
        doc.add_heading(_clean(item["heading"]), level=2)
        for para in item["paragraphs"]:
            doc.add_paragraph(_clean(para))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def extract_text(docx_bytes: bytes) -> list[str]:
    """Body paragraphs, table cells and page headers, in order: the semantic content of a .docx."""
    from docx import Document as open_document

    doc = open_document(io.BytesIO(docx_bytes))
    out: list[str] = []
    for section in doc.sections:
        out.append("H:" + section.header.paragraphs[0].text if section.header.paragraphs else "H:")
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.append("P:" + "".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))
                ]
                out.append("R:" + "|".join(cells))
    return out


# ---------------------------------------------------------------------------------------------
# The committed samples

# name, data set, companions; "planted" samples are made by bench.quality.inject.plant_many.
SAMPLES: list[dict[str, Any]] = [
    {
        "name": "fanmilk-2024",
        "data": "fanmilk-2024",
        "prior_data": "fanmilk-2023",
        "memos": [],
    },
    {
        "name": "insig-2024",
        "data": "insig-2024",
        "memos": ["insig-2024-board-minutes"],
    },
    {
        "name": "flowtraders-2024",
        "data": "flowtraders-2024",
        "memos": [],
    },
    {
        "name": "insig-2024-planted",
        "data": "insig-2024",
        "planted": True,
        "memos": ["insig-2024-board-minutes"],
        "title": "Insig AI plc 2024 with planted errors",
    },
    {
        "name": "fanmilk-2024-planted",
        "data": "fanmilk-2024",
        "planted": True,
        "prior_data": "fanmilk-2023",
        "memos": [],
        "title": "Fan Milk PLC 2024 with planted errors",
    },
    {
        "name": "flowtraders-2024-planted",
        "data": "flowtraders-2024",
        "planted": True,
        "memos": [],
        "title": "Flow Traders Ltd. 2024 with planted errors",
    },
]


def _planted(sample: dict[str, Any]) -> tuple[Data, list[dict[str, Any]]]:
    """The data set with one error of every kind planted, and the ground truth.

    Imported lazily: the injector imports this module."""
    from bench.quality.inject import KINDS, SampleSet, plant_many

    memo = sample["memos"][0] if sample["memos"] else None
    cases, data = plant_many(
        SampleSet(sample["data"], prior=sample.get("prior_data"), memo=memo), tuple(KINDS)
    )
    truth = [
        {"kind": c.kind, "agent": c.agent, "site": c.site, "description": c.description}
        for c in cases
    ]
    return data, truth


def build_all(out_dir: Path = SAMPLES_DIR) -> list[dict[str, Any]]:
    """Build every sample into `out_dir` and write the manifest; returns the manifest entries."""
    manifest: list[dict[str, Any]] = []
    for sample in SAMPLES:
        name = sample["name"]
        data = load_set(sample["data"])
        description = _clean(data["description"])
        if sample.get("planted"):
            data, truth = _planted(sample)
            (out_dir / f"{name}.truth.json").write_text(
                json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            kinds = ", ".join(t["kind"] for t in truth)
            description = (
                f"The {data['entity']['name']} statements with {len(truth)} planted errors, one "
                f"of each kind this set allows ({kinds}); ground truth in {name}.truth.json."
            )
        document = f"{name}.docx"
        (out_dir / document).write_bytes(build_docx(data))
        entry: dict[str, Any] = {
            "name": name,
            "title": sample.get("title", data["title"]),
            "description": description,
            "document": document,
        }
        if sample.get("prior_data"):
            prior = f"{sample['prior_data']}.docx"
            (out_dir / prior).write_bytes(build_docx(load_set(sample["prior_data"])))
            entry["prior_year"] = prior
        entry["memos"] = []
        for memo in sample["memos"]:
            (out_dir / f"{memo}.docx").write_bytes(build_memo(load_set(memo)))
            entry["memos"].append(f"{memo}.docx")
        manifest.append(entry)
    (out_dir / "samples.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main() -> None:
    for entry in build_all():
        print(f"built {entry['name']}: {entry['document']}")


if __name__ == "__main__":
    main()
