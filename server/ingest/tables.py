"""A raw grid of cell texts into a `Table`: header rows, column roles and periods, parsed cells.

Header rows are the leading rows that carry no figure except years and dates; a merged header
cell ("Group" over 2024 and 2023) names every column it covers. The label column is the first
one that mostly holds words. A column headed "Note" holds note references, not amounts, and so
does an unheaded column of small whole numbers beside the labels when the amounts around it are
of a different order; its cells never carry a value, so no check can add a note number.

SEC-style layouts put "$", a negative's closing ")" or a rate's "%" in cells of their own; the
marks are joined back to their figures before anything is read, and a lone "$" column is text.
Group and company columns side by side are told apart (`Column.scope`), so a check never
pairs the group's 2024 with the company's 2023.
"""

from __future__ import annotations

import re
import statistics
from decimal import Decimal

from server.ingest.document import Cell, Column, ColumnRole, Fact, Row, RowKind, Table
from server.ingest.numbers import parse_number
from server.ingest.raw import RawTable
from server.ingest.recognise import (
    clean_label,
    find_currency,
    find_period,
    find_scale,
    is_note_header,
    is_note_reference,
)

MAX_HEADER_ROWS = 5
# "2024 %", "2024 (€'000)", "2023 restated": a year followed by words or symbols, no figures.
_YEAR_WITH_WORDS = re.compile(r"^(?:FY\s?)?(?:19[5-9]\d|20\d\d)\b[^\d]*$")
_YEARISH = re.compile(r"^(?:FY\s?)?(?:19[5-9]\d|20\d\d)(?:\s*[/-]\s*\d{2,4})?\s*\*?$")


def build_table(
    raw: RawTable, table_id: str, index: int, continental: bool = False
) -> tuple[Table, list[list[str]]]:
    """The table, and its header rows as printed (for scale and currency lookups);
    `continental` when the document prints "1.234,5"."""
    rows = [[_tidy(c) for c in r] for r in raw.rows]
    width = max((len(r) for r in rows), default=0)
    rows = [_join_split_marks(r + [""] * (width - len(r))) for r in rows]
    _drop_stray_number(rows)
    n_header = _header_row_count(rows)
    if raw.marked_header_rows and all(
        all(_headerish(c) for c in row) for row in rows[: raw.marked_header_rows]
    ):
        n_header = max(n_header, raw.marked_header_rows)  # Word says so, and no figure disagrees
    header_rows = rows[:n_header]
    body = rows[n_header:]

    headers = _column_headers(header_rows, raw.spans, width)
    label_col = _label_column(body, width)
    roles = _roles(body, headers, label_col, width)
    columns = []
    for c in range(width):
        column = Column(index=c, header=headers[c], role=roles[c])
        if roles[c] in (ColumnRole.AMOUNT, ColumnRole.PERCENT):
            period = find_period(_strip_scale_words(headers[c]))
            if period:
                column.period = period.label
                column.period_end = period.end
                column.year = period.year
                column.restated = period.restated
        columns.append(column)
    _scopes(columns)

    table_rows = [_row(i, cells, columns, label_col, continental) for i, cells in enumerate(body)]
    if len(raw.bold_rows) == len(rows) and len(raw.ruled_rows) == len(rows):
        for row, bold, ruled in zip(
            table_rows, raw.bold_rows[n_header:], raw.ruled_rows[n_header:], strict=True
        ):
            row.bold, row.ruled_above = bold, ruled
        if table_rows:
            table_rows[0].ruled_above = False  # the header's underline, not a total's rule
    for (r, c), fact in raw.facts.items():
        if r >= n_header and c < width:
            _tag(table_rows[r - n_header].cells[c], fact, columns[c].role)
    table = Table(id=table_id, index=index, columns=columns, rows=table_rows)
    return table, header_rows


def _tag(cell: Cell, fact: Fact, role: ColumnRole) -> None:
    """An inline-XBRL figure: its magnitude from the tag (exact, whatever the format printed),
    its sign as printed, since statements foot by what they print ("(1,234)" is subtracted)."""
    cell.fact = fact
    if fact.value is None or role not in (ColumnRole.AMOUNT, ColumnRole.PERCENT):
        return
    magnitude = float(abs(Decimal(repr(fact.value)).scaleb(-fact.scale)))
    negative = cell.value is not None and cell.value < 0
    cell.value = -magnitude if negative else magnitude
    cell.nil = cell.nil or magnitude == 0.0


_GROUP = re.compile(r"(?i)\b(?:group|consolidated)\b")
_COMPANY = re.compile(r"(?i)\b(?:company|parent|separate|bank)\b")


def _scopes(columns: list[Column]) -> None:
    """Group and company columns side by side: each figure column says which it is."""
    figures = [c for c in columns if c.role in (ColumnRole.AMOUNT, ColumnRole.PERCENT)]
    group = [c for c in figures if _GROUP.search(c.header) and not _COMPANY.search(c.header)]
    company = [c for c in figures if _COMPANY.search(c.header) and not _GROUP.search(c.header)]
    if group and company:
        for c in group:
            c.scope = "group"
        for c in company:
            c.scope = "company"


_OPEN_FIGURE = re.compile(r"^\(\s*[$€£]?\s*[\d.,\s]*\d$")
_BARE_FIGURE = re.compile(r"^[-−–]?\d[\d.,]*$|^\([\d.,]+\)$")


def _join_split_marks(row: list[str]) -> list[str]:
    """SEC-style layouts print a negative's closing parenthesis, or a rate's "%", in a cell of
    its own: "(1,234" then ")". The figure gets its mark back and the lone mark's cell empties."""
    for c in range(len(row) - 1):
        mark = row[c + 1]
        if (mark in (")", ")%") and _OPEN_FIGURE.match(row[c])) or (
            mark == "%" and _BARE_FIGURE.match(row[c]) and not _YEARISH.match(row[c])
        ):
            row[c], row[c + 1] = row[c] + mark, ""
    return row


def _tidy(text: str) -> str:
    if text.isascii() and "  " not in text and "\n" not in text and "\t" not in text:
        return text.strip()
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", text.replace("\n", " ")).strip()


def _headerish(text: str) -> bool:
    """A cell that may sit in a header row: words, a year, a date, a scale; not an amount."""
    if not text:
        return True
    if _YEARISH.match(text) or _YEAR_WITH_WORDS.match(text) or find_scale(text):
        return True
    parsed = parse_number(text)
    return parsed is None


_PERIOD_WORDS = re.compile(
    r"(?i)\bended\b|\b(?:fiscal\s+)?(?:years?|quarters?|months|weeks)\b|\bas\s+(?:of|at)\b"
)


def _drop_stray_number(rows: list[list[str]]) -> None:
    """A page or footnote number left in the corner cell of a period heading ("4" printed in
    white beside "Fiscal Year Ended January 31,") is not a figure: it would make the heading a
    body row and lose the years under it."""
    for row in rows[:2]:
        rest = [c for c in row[1:] if c]
        if (
            len(row) > 2
            and re.fullmatch(r"\d{1,3}", row[0])
            and rest
            and all(parse_number(c) is None for c in rest)
            and any(_PERIOD_WORDS.search(c) for c in rest)
        ):
            row[0] = ""


def _header_row_count(rows: list[list[str]]) -> int:
    """Leading caption rows (one filled cell: a title, "as at ...", a scale) and the column
    header rows under them; captions alone count only when they state a scale or period."""
    captions = 0
    while captions < min(3, len(rows)) and sum(1 for c in rows[captions] if c) <= 1:
        if not all(_headerish(c) for c in rows[captions]):
            break
        captions += 1
    count = captions
    while count < len(rows) and count - captions < MAX_HEADER_ROWS:
        row = rows[count]
        if not any(row[1:]) or not all(_headerish(c) for c in row):
            break  # a caption row under the column headers is a heading of the body
        count += 1
    if count > captions:
        return count
    keep = 0
    for row in rows[:captions]:
        text = " ".join(c for c in row if c)
        if text and not (find_scale(text) or find_currency(text) or find_period(text)):
            break
        keep += 1
    return keep if any(any(row) for row in rows[:keep]) else 0


def _column_headers(
    header_rows: list[list[str]], spans: dict[tuple[int, int], int], width: int
) -> list[str]:
    parts: list[list[str]] = [[] for _ in range(width)]
    for r, row in enumerate(header_rows):
        if width > 2 and row[0] and spans.get((r, 0), 1) >= width:
            continue  # one caption across the whole table ("Year ended 31 December 2024")
        for c, text in enumerate(row):
            if not text:
                continue
            for k in range(c, min(width, c + spans.get((r, c), 1))):
                if text not in parts[k]:
                    parts[k].append(text)
    return [" ".join(p) for p in parts]


def _label_column(body: list[list[str]], width: int) -> int:
    for c in range(width):
        words = sum(1 for row in body if row[c] and parse_number(row[c]) is None)
        figures = sum(1 for row in body if row[c] and parse_number(row[c]) is not None)
        if words and words >= figures:
            return c
    return 0


def _roles(
    body: list[list[str]], headers: list[str], label_col: int, width: int
) -> list[ColumnRole]:
    roles: list[ColumnRole] = []
    for c in range(width):
        if c == label_col:
            roles.append(ColumnRole.LABEL)
            continue
        if is_note_header(_strip_scale_words(headers[c])):
            roles.append(ColumnRole.NOTE)
            continue
        values = [row[c] for row in body if row[c]]
        parsed = [parse_number(v) for v in values]
        figures = [p for p in parsed if p is not None]
        words = len(values) - len(figures)
        if not figures or words > len(figures):
            roles.append(ColumnRole.OTHER)
        elif re.search(r"%|\bper\s*cent\b|\bpercent", headers[c], re.I) or (
            sum(p.percent for p in figures) * 2 > len(figures)
        ):
            roles.append(ColumnRole.PERCENT)
        else:
            roles.append(ColumnRole.AMOUNT)
    _unheaded_note_column(body, headers, label_col, roles)
    return roles


def _unheaded_note_column(
    body: list[list[str]], headers: list[str], label_col: int, roles: list[ColumnRole]
) -> None:
    """An unheaded column of small whole numbers beside the labels, amid large amounts."""
    c = label_col + 1
    if ColumnRole.NOTE in roles or c >= len(roles) or headers[c].strip():
        return
    values = [row[c] for row in body if row[c]]
    if len(values) < 2 or not all(is_note_reference(v) for v in values):
        return
    amount_cols = [k for k in range(c + 1, len(roles)) if roles[k] is ColumnRole.AMOUNT]
    if len(amount_cols) < 1:
        return
    note_max = max(int(m.group(0)) for v in values if (m := re.match(r"\d+", v.strip())))
    amounts = [
        abs(p.value)
        for k in amount_cols
        for row in body
        if row[k] and (p := parse_number(row[k])) is not None and not p.nil
    ]
    if len(amounts) >= 2 and statistics.median(amounts) >= 10 * max(note_max, 1):
        roles[c] = ColumnRole.NOTE


def _strip_scale_words(header: str) -> str:
    """A column header without its scale/currency words, so "2024 EUR'000" reads as "2024"."""
    text = re.sub(r"(?i)\b[A-Z]{3}\s?['’]?\s?0{3}\b|['’]000|\(0{3}\)|[$€£]\s?0{3}", " ", header)
    return re.sub(r"\s+", " ", text).strip()


def _row(
    index: int, texts: list[str], columns: list[Column], label_col: int, continental: bool
) -> Row:
    cells: list[Cell] = []
    note: str | None = None
    for column, text in zip(columns, texts, strict=True):
        cell = Cell(text=text)
        if column.role is ColumnRole.NOTE:
            if text:
                note = text
        elif column.role in (ColumnRole.AMOUNT, ColumnRole.PERCENT):
            parsed = parse_number(text, continental)
            if parsed is not None:
                cell.value = parsed.value
                cell.nil = parsed.nil
                cell.percent = parsed.percent
        cells.append(cell)
    label, label_note = clean_label(texts[label_col] if label_col < len(texts) else "")
    figures = any(
        c.value is not None
        for c, col in zip(cells, columns, strict=True)
        if col.role in (ColumnRole.AMOUNT, ColumnRole.PERCENT)
    )
    if not any(texts):
        kind = RowKind.SPACER
    elif not figures and label:
        kind = RowKind.HEADING
    else:
        kind = RowKind.ITEM
    return Row(index=index, label=label, cells=cells, kind=kind, note=note or label_note)
