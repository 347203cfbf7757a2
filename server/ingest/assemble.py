"""Raw blocks into a `Document`: sections and notes, then each table read in its context.

The same for every format. A paragraph is a heading when the format says so (a Heading style,
"## "), when it is a statement's title, a note's title ("Note 12 ...", "12. Property, plant and
equipment", or a Word-numbered heading), or a short bold or capitalised line. A table takes its
scale and currency from the nearest place that states them: its own header cells, then the lines
just above it, its headings, its page header, a document-wide "all amounts in thousands"
sentence, and the table it continues. Its statement comes from its own lines (`statements`) and
from a title that agrees with them, then the page header; never from a signature line, a
contents entry, or, once the notes have begun, a title its lines do not bear out. A statement
table's title is the line that names its statement, so findings say where they are.

Precision over recall: lines alone never make a statement of a table in the notes, under a
heading or caption of its own ("Five-year summary", "Reconciliation of liabilities arising from
financing activities"), because a wrong statement means wrong cross-statement ties. A one-column
table without figures is a frame around paragraphs, and a table of titles and page numbers under
"Contents" is a contents list; both are read as paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from server.ingest.document import (
    ColumnRole,
    Document,
    DocumentKind,
    Paragraph,
    Section,
    StatementKind,
    Table,
)
from server.ingest.numbers import continental_style, parse_number
from server.ingest.raw import RawDocument, RawParagraph, RawTable
from server.ingest.recognise import (
    SCALES,
    NoteTitle,
    document_scale,
    find_currency,
    find_entity_name,
    find_period,
    find_period_end,
    find_scale,
    is_notes_heading,
    note_title,
)
from server.ingest.scope import read_scope
from server.ingest.statements import (
    STATEMENT_NAMES,
    analysis_not_statement,
    has_revenue_lines,
    is_contents_entry,
    is_signature_line,
    looks_like_statement_title,
    statement_from_rows,
    statement_from_title,
)
from server.ingest.structure import infer_document_structure
from server.ingest.tables import build_table
from server.text.dates import MONTH_PATTERN

# "(continued)", "(cont'd)", "- continued": never a sentence that merely uses the word.
_CONTINUED = re.compile(r"(?i)\(\s*cont(?:inued|['’]d|\.)?\s*\)|\bcontinued\s*[:)]?\s*$")
MAX_HEADING_WORDS = 14
_CONTENTS = re.compile(r"(?i)^(?:table\s+of\s+)?contents$|^index$")
_PERIOD_SUBTITLE = re.compile(
    r"(?i)^\(?(?:for\s+the\s+(?:(?:financial\s+|fiscal\s+)?years?|periods?|\w+\s+months|\d+\s+weeks)"
    r"|as\s+(?:at|of)\b|at\s+\d"
    r"|(?:(?:financial|fiscal)\s+)?(?:years?|periods?|quarters?|\w+\s+months|\w+\s+weeks)\s+ended\b)"
    r"|^\(?unaudited\)?$"
    rf"|^{MONTH_PATTERN}\s+\d{{1,2}},?$|^\d{{1,2}}\s+{MONTH_PATTERN},?$"  # "September 30,"
)


@dataclass(slots=True)
class _Heading:
    level: int
    title: str
    note: NoteTitle | None = None
    statement: StatementKind | None = None


@dataclass(slots=True)
class _Context:
    """What the walk knows at the current point of the body."""

    stack: list[Section] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # paragraphs since the last table/heading
    heading_since_table: bool = False
    blocks_since_table: int = 0
    in_notes: bool = False
    seen_statement: bool = False
    statement_tables: int = 0
    # The notes began after statements were read: a statement title from here on names a
    # table only when its rows agree (a note's "Statements of Income" column caption does not).
    notes_started: bool = False
    last_table: Table | None = None
    continental: bool = False  # the document prints "1.234,5"
    paragraphs: int = 0  # counted here: Document.paragraphs builds a list on every call
    tables: int = 0


def assemble(raw: RawDocument, name: str, kind: DocumentKind) -> Document:
    doc = Document(name=name, kind=kind, pages=raw.pages, page_headers=list(raw.page_headers))
    cells = [c for b in raw.blocks if isinstance(b, RawTable) for row in b.rows for c in row if c]
    ctx = _Context(continental=continental_style(cells))
    default_scale = _default_scale(raw)
    for block in raw.blocks:
        if isinstance(block, RawParagraph):
            _paragraph(doc, ctx, block)
        elif _frame_only(block) or _contents_list(block, ctx):
            toc = not _frame_only(block)
            for row in block.rows:
                text = " ".join(c for c in row if c.strip())
                _paragraph(
                    doc, ctx, RawParagraph(text=text, page_header=block.page_header, toc=toc)
                )
        else:
            _table(doc, ctx, block, default_scale)
    _document_facts(doc, raw)
    _tagged_document_facts(doc, raw)
    read_scope(doc)
    infer_document_structure(doc)  # last: what the figures mean, once, for every agent
    return doc


def _tagged_document_facts(doc: Document, raw: RawDocument) -> None:
    """What an inline-XBRL filing states about itself (dei tags) beats what text suggests."""
    doc.facts = raw.facts
    doc.calculations = raw.calculations
    doc.entity_name = raw.entity_name or doc.entity_name
    doc.report_type = raw.report_type
    doc.fiscal_period = raw.fiscal_period
    doc.amendment = raw.amendment
    if raw.reporting_date and raw.reporting_date != doc.reporting_date:
        doc.reporting_date = raw.reporting_date
        _infer_period_ends(doc)


def _frame_only(table: RawTable) -> bool:
    """A one-column table without a single figure: a frame drawn around paragraphs (a Word
    layout table, a boxed PDF text), not a table."""
    if not table.rows or any(len(row) != 1 for row in table.rows):
        return False
    return not any(parse_number(row[0]) is not None for row in table.rows if row[0])


def _contents_list(table: RawTable, ctx: _Context) -> bool:
    """A contents page laid out as a table (titles and page numbers) under a "Contents"
    heading: its page numbers are not amounts, and its titles are not the statements."""
    section = ctx.stack[-1] if ctx.stack else None
    if section is None or not _CONTENTS.match(section.title) or ctx.tables:
        return False
    pages = [
        int(c) for row in table.rows for c in row[1:] if c.strip().isdigit() and len(c.strip()) <= 3
    ]
    return len(pages) >= 2 and pages == sorted(pages)


# ----------------------------------------------------------------------------- paragraphs


def _paragraph(doc: Document, ctx: _Context, p: RawParagraph) -> None:
    text = p.text.strip()
    if not text:
        return
    heading = None if p.toc else _heading(p, text, ctx)
    if heading is not None and _repeats_current(heading, text, ctx):
        heading = None  # "24. Property and equipment (continued)": a caption, not a new note
    if heading is None:
        section_id = ctx.stack[-1].id if ctx.stack else None
        ctx.paragraphs += 1
        n = ctx.paragraphs
        doc.blocks.append(
            Paragraph(
                id=f"p{n}", index=len(doc.blocks), text=text, section_id=section_id, style=p.style
            )
        )
        if not (p.toc or is_signature_line(text) or _contents_entry(text)):
            ctx.recent.append(text)  # a contents entry or a signature is never a caption
        ctx.blocks_since_table += 1
        return
    while ctx.stack and ctx.stack[-1].level >= heading.level:
        ctx.stack.pop()
    section = Section(
        id=f"s{len(doc.sections) + 1}",
        title=heading.title,
        level=heading.level,
        parent_id=ctx.stack[-1].id if ctx.stack else None,
        note_number=heading.note.number if heading.note else None,
        statement=heading.statement,
    )
    doc.sections.append(section)
    ctx.stack.append(section)
    ctx.recent = []
    ctx.heading_since_table = True
    ctx.blocks_since_table += 1
    if is_notes_heading(text) or (heading.note is not None and ctx.seen_statement):
        ctx.in_notes = True
        ctx.notes_started = ctx.notes_started or ctx.statement_tables > 0
    if heading.statement and not ctx.notes_started:
        ctx.seen_statement = True
        ctx.in_notes = False


def _repeats_current(heading: _Heading, text: str, ctx: _Context) -> bool:
    if not _CONTINUED.search(text):
        return False
    if heading.note is not None:
        return any(s.note_number == heading.note.number for s in ctx.stack)
    return heading.statement is not None and any(
        s.statement is heading.statement for s in ctx.stack
    )


def _heading(p: RawParagraph, text: str, ctx: _Context) -> _Heading | None:
    if is_signature_line(text) or _contents_entry(text):
        return None  # "Chief Executive Officer", "Statement of Cash Flows 4"
    words = len(text.split())
    short = words <= MAX_HEADING_WORDS and len(text) <= 160
    statement = statement_from_title(text) if looks_like_statement_title(text) else None
    styled = p.heading_level is not None
    note = _note_of(p, text, ctx, styled and short) if short else None
    if note:
        title = note.title
        level = p.heading_level if styled and p.heading_level else 2 + note.depth
        return _Heading(max(level, 1), title, note, None)
    if styled:
        return _Heading(p.heading_level or 0, text, None, statement)
    if statement:
        return _Heading(1, text, None, statement)
    # A bold line ending in ":" introduces the table below it; one ending in "." is a sentence.
    if short and (p.bold or _capitals(text)) and not _caption_only(text) and text[-1] not in ":.;":
        enclosing_note = next((s for s in reversed(ctx.stack) if s.note_number), None)
        level = enclosing_note.level + 1 if enclosing_note else 1
        if is_notes_heading(text):
            level = 1
        return _Heading(level, text, None, None)
    return None


def _note_of(p: RawParagraph, text: str, ctx: _Context, styled: bool) -> NoteTitle | None:
    # Word list numbers make a note title only on a heading or bold line: numbered lists in
    # the notes' prose ("1. The Group has ...") are not notes.
    titled_number = p.outline_number and (styled or p.bold)
    if titled_number and not text.endswith("."):
        return NoteTitle(p.outline_number or "", text)
    titled = styled or p.bold or _capitals(text) or ctx.in_notes or ctx.seen_statement
    found = note_title(text, numbered_ok=titled)
    if found is None:
        return None
    if not text.lower().startswith("note") and (
        len(found.title.split()) > 10 or found.title.rstrip().endswith(".")
    ):
        return None
    if found.title != text and found.title[:1].islower():
        return None  # "Note 5 provides the details": a sentence
    return found


def _contents_entry(text: str) -> bool:
    """A statement's or the notes' title with a page number after it: a contents entry."""
    if not is_contents_entry(text):
        return False
    title = re.sub(r"[\s.…]+(?:[A-Z]-?)?\d{1,3}$", "", text)
    return statement_from_title(title) is not None or is_notes_heading(title)


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)


def _bracketed(text: str) -> bool:
    """ "(in thousands, except share data and par value amounts)": a caption however long."""
    return text.startswith("(") and text.endswith(")") and len(text) <= 160


def _caption_only(text: str) -> bool:
    """A line that states only a scale, a currency or a date: a caption, not a heading."""
    if not re.search(r"\w", text):
        return True  # "( )", a rule of dashes
    if find_scale(text) and (len(text.split()) <= 8 or _bracketed(text)):
        return True
    period = find_period(text)
    if period and len(text.split()) <= 4:
        return True
    # "For the year ended 31 December 2024", "As at 31 December", "Year ended": a subtitle.
    return len(text.split()) <= 10 and _PERIOD_SUBTITLE.match(text) is not None


# --------------------------------------------------------------------------------- tables


def _table(doc: Document, ctx: _Context, raw: RawTable, default_scale: str | None) -> None:
    if not raw.rows or not any(any(c.strip() for c in row) for row in raw.rows):
        return
    ctx.tables += 1
    n = ctx.tables
    table, header_rows = build_table(raw, f"t{n}", len(doc.blocks), ctx.continental)
    section = ctx.stack[-1] if ctx.stack else None
    table.section_id = section.id if section else None
    note_section = next((s for s in reversed(ctx.stack) if s.note_number), None)
    if note_section and note_section.note_number:
        table.note_number = note_section.note_number.split(".")[0]

    # A header row holding one line at its start is a caption ("(in millions)", the title of a
    # Word table); one over some columns ("% Change", "Years Ended") heads those columns.
    inside = [row[0] for row in header_rows if row and row[0] and sum(1 for x in row if x) == 1]
    captions = inside + [t for t in reversed(ctx.recent) if len(t) <= 200]
    table.title = _title(captions, ctx, raw.page_header)
    continued = _continued_from(ctx, table, captions, header_rows)
    if continued is not None:
        table.continued_from = continued.id

    header_texts = [c for row in header_rows for c in row if c] + [c.header for c in table.columns]
    titles = [s.title for s in reversed(ctx.stack)]
    page = [raw.page_header] if raw.page_header else []
    _scale_and_currency(table, header_texts, captions, titles, page, default_scale, continued)
    _tagged_scale_and_currency(table)
    _statement(table, ctx, captions, page, continued)
    if continued is not None:
        _inherit_periods(table, continued)
        if table.statement is None and table.note_number is None:
            table.note_number = continued.note_number
        if continued.statement is None and continued.note_number is None and table.statement:
            continued.statement = table.statement  # the second part named what the first was

    ctx.seen_statement = ctx.seen_statement or table.statement is not None
    doc.blocks.append(table)
    ctx.last_table = table
    ctx.recent = []
    ctx.heading_since_table = False
    ctx.blocks_since_table = 0


def _title(captions: list[str], ctx: _Context, page_header: str | None) -> str | None:
    """The caption just above, else a heading since the last table, else the page header's
    statement title, else the enclosing heading."""
    for text in captions:
        if not _caption_only(text) and len(text) <= 120 and not text.endswith("."):
            return text
    section = ctx.stack[-1] if ctx.stack else None
    if ctx.heading_since_table and section and (section.statement or section.note_number):
        return section.title
    for line in (page_header or "").splitlines():
        if looks_like_statement_title(line):
            return line
    return section.title if section else None


def _continued_from(
    ctx: _Context, table: Table, captions: list[str], header_rows: list[list[str]]
) -> Table | None:
    prev = ctx.last_table
    if prev is None:
        return None
    said = any(_CONTINUED.search(t) for t in captions) or any(
        _CONTINUED.search(c) for row in header_rows for c in row
    )
    if not said and ctx.heading_since_table and ctx.stack:
        said = bool(_CONTINUED.search(ctx.stack[-1].title))
    same_shape = len(prev.columns) == len(table.columns) or len(prev.amount_columns()) == len(
        table.amount_columns()
    )
    if said and same_shape:
        return prev
    adjacent = ctx.blocks_since_table == 0 and not ctx.heading_since_table
    if adjacent and same_shape and not header_rows:
        return prev
    # A table split where the page broke, its header repeated: the same headers, nothing between.
    headers = [c.header.casefold() for c in table.columns]
    if adjacent and any(headers) and headers == [c.header.casefold() for c in prev.columns]:
        rows_kind = statement_from_rows([r.label for r in table.rows], [])
        if prev.statement is not None and rows_kind in (None, prev.statement):
            return prev
        if prev.note_number is not None and prev.note_number == table.note_number:
            return prev
    return None


def _scale_and_currency(
    table: Table,
    header_texts: list[str],
    captions: list[str],
    titles: list[str],
    page: list[str],
    default_scale: str | None,
    continued: Table | None,
) -> None:
    near = header_texts + captions[:3]
    far = titles + page
    scale = _first(find_scale, near)
    if scale is None and continued is not None:
        scale = continued.scale_label
    scale = scale or _first(find_scale, far) or default_scale
    if scale:
        table.scale_label = scale
        table.scale = SCALES[scale]
    currency = _first(find_currency, near) or _symbol_column_currency(table)
    if currency is None and continued is not None:
        currency = continued.currency
    table.currency = currency or _first(find_currency, far)


_TAG_SCALES = {0: "units", 3: "thousands", 6: "millions", 9: "billions"}


def _tagged_scale_and_currency(table: Table) -> None:
    """Inline XBRL states each monetary figure's scale and currency exactly: where most of a
    table's tags agree, they win over the printed words (per-share figures keep their own)."""
    tagged = [
        c.fact
        for r in table.rows
        for c in r.cells
        if c.fact is not None and _currency_unit(c.fact.unit)
    ]
    if not tagged:
        return
    scale, n = Counter(f.scale for f in tagged).most_common(1)[0]
    if n * 2 > len(tagged) and scale in _TAG_SCALES:
        table.scale_label = _TAG_SCALES[scale]
        table.scale = SCALES[table.scale_label]
    unit, n = Counter(f.unit for f in tagged).most_common(1)[0]
    if n * 2 > len(tagged):
        table.currency = unit


def _currency_unit(unit: str | None) -> bool:
    return unit is not None and len(unit) == 3 and unit.isalpha() and unit.isupper()


def _symbol_column_currency(table: Table) -> str | None:
    """US filings print "$" in a narrow column of its own before the figures."""
    for column in table.columns:
        if column.role is not ColumnRole.OTHER:
            continue
        symbols = {r.cells[column.index].text for r in table.rows if r.cells[column.index].text}
        if len(symbols) == 1:
            symbol = symbols.pop()
            if len(symbol) <= 3 and (code := find_currency(symbol)):
                return code
    return None


def _first(find: Callable[[str], str | None], texts: list[str]) -> str | None:
    """What the nearest text that states anything states."""
    for text in texts:
        found = find(text)
        if found:
            return found
    return None


def _statement(
    table: Table, ctx: _Context, captions: list[str], page: list[str], continued: Table | None
) -> None:
    """What the table's own lines say outweighs any caption near it; a caption names a
    statement only when the lines do not say otherwise."""
    labels = [r.label for r in table.rows]
    headers = [c.header for c in table.columns]
    if table.note_number is not None:
        return
    percent_columns = sum(1 for c in table.columns if c.role is ColumnRole.PERCENT)
    # "Increase/(Decrease)" printed over dated columns is a heading, not a change column.
    undated = [c.header for c in table.columns if c.period_end is None]
    if analysis_not_statement(undated, labels, captions[:3], percent_columns):
        return  # an MD&A analysis or a summary that shares a statement's lines
    by_rows = statement_from_rows(labels, headers)
    by_title: StatementKind | None = None
    for text in captions[:3]:
        if looks_like_statement_title(text):
            by_title = statement_from_title(text)
            break
    # A table with a caption of its own ("Reconciliation of liabilities arising from financing
    # activities") right after a statement is not that statement.
    own_caption = any(_names_a_table(t) for t in captions[:2])
    if by_title is None and not own_caption:
        by_title = next((s.statement for s in reversed(ctx.stack) if s.statement), None)
    by_page = next((k for t in page if (k := _page_statement(t))), None)
    # Lines alone do not make a statement in the notes (a segment table has revenue and profit
    # too), nor under a heading or caption of its own ("Five-year summary") unless the page
    # header names a statement.
    in_notes = ctx.in_notes or any(is_notes_heading(line) for t in page for line in t.splitlines())
    under_other_heading = own_caption or (
        ctx.heading_since_table and not any(s.statement for s in ctx.stack)
    )
    rows_trusted = not in_notes and (not under_other_heading or by_page is not None)
    if by_title is StatementKind.PROFIT_OR_LOSS and by_rows is StatementKind.COMPREHENSIVE_INCOME:
        by_rows = by_title  # a combined statement: profit or loss, then other comprehensive income
    if ctx.notes_started and continued is None:
        # Past the statements, a title names a table only when its lines agree: a note's
        # "Statements of Income" sub-heading over a table of hedge reclassifications does not.
        by_title = by_title if by_title is by_rows else None
        by_page = by_page if by_page is by_rows else None
    kind: StatementKind | None
    if continued is not None and continued.statement and by_rows in (None, continued.statement):
        kind = continued.statement
    elif by_title and by_rows in (None, by_title):
        kind = by_title
    elif by_rows and rows_trusted:
        kind = by_rows
    elif by_page and by_rows in (None, by_page):
        kind = by_page
    else:
        kind = by_title
    if kind is StatementKind.COMPREHENSIVE_INCOME and has_revenue_lines(labels):
        kind = StatementKind.PROFIT_OR_LOSS
    table.statement = kind
    if kind is None:
        return
    ctx.statement_tables += 1
    table.title = _statement_title(kind, table.title, captions, ctx, page, continued)
    if kind is StatementKind.CHANGES_IN_EQUITY:
        # Its columns are equity components; a year heading over them names a block of rows.
        for column in table.columns:
            column.period = column.period_end = None
            column.year = None


def _statement_title(
    kind: StatementKind,
    title: str | None,
    captions: list[str],
    ctx: _Context,
    page: list[str],
    continued: Table | None,
) -> str:
    """The line that names the statement the table is, so that findings say where they are:
    a caption, the heading, the page header or the part it continues; else the statement's
    plain name."""
    if title and _names_statement(title, kind):
        return title
    candidates = list(captions[:3])
    candidates += [s.title for s in reversed(ctx.stack) if s.statement]
    candidates += [line for t in page for line in t.splitlines()]
    for text in candidates:
        if _names_statement(text, kind):
            return text
    if continued is not None and continued.title and _names_statement(continued.title, kind):
        return continued.title
    # Nothing near it names it: its own name, rather than a column heading's "Years Ended" or
    # the title of the statement before it.
    return STATEMENT_NAMES[kind]


def _names_statement(text: str, kind: StatementKind) -> bool:
    if not looks_like_statement_title(text):
        return False
    named = statement_from_title(text)
    # A combined "statement of operations and comprehensive loss" names both.
    return named is kind or (
        named is StatementKind.PROFIT_OR_LOSS and kind is StatementKind.COMPREHENSIVE_INCOME
    )


def _names_a_table(text: str) -> bool:
    """A caption that titles the table below it, other than a statement title, a date or
    scale line, the entity's name or a "(continued)" mark."""
    words = len(text.split())
    return (
        3 < words <= 20
        and not text.endswith(".")
        and not looks_like_statement_title(text)
        and not _caption_only(text)
        and not _CONTINUED.search(text)
        and find_entity_name([text]) is None
    )


def _page_statement(text: str) -> StatementKind | None:
    for line in text.splitlines():
        if looks_like_statement_title(line):
            return statement_from_title(line)
    return None


def _inherit_periods(table: Table, source: Table) -> None:
    if any(c.period for c in table.columns) or len(table.columns) != len(source.columns):
        return
    for mine, theirs in zip(table.columns, source.columns, strict=True):
        if mine.role is theirs.role or not mine.header:
            mine.period, mine.period_end, mine.year = theirs.period, theirs.period_end, theirs.year
            mine.restated = theirs.restated
            if not mine.header:
                mine.header = theirs.header


# ------------------------------------------------------------------------ document facts


def _default_scale(raw: RawDocument) -> str | None:
    for block in raw.blocks:
        if isinstance(block, RawParagraph) and block.text:
            found = document_scale(block.text)
            if found:
                return found
    return None


def _document_facts(doc: Document, raw: RawDocument) -> None:
    header_lines = [line for h in doc.page_headers for line in h.splitlines()]
    first_lines = [b.text for b in raw.blocks[:40] if isinstance(b, RawParagraph)]
    doc.entity_name = find_entity_name(
        header_lines + first_lines + [s.title for s in doc.sections[:10]]
    )

    statement_tables = [t for t in doc.tables if t.statement]
    titles = [s.title for s in doc.sections if s.statement] + header_lines
    titles += [t.title for t in statement_tables if t.title]
    dates = [d for t in titles if (d := find_period_end(t))]
    if not dates:
        dates = [
            c.period_end
            for t in statement_tables
            for c in t.columns
            if c.period_end and c.role is ColumnRole.AMOUNT
        ]
        dates = [max(dates)] if dates else []
    if not dates:
        dates = [d for p in doc.paragraphs[:200] if (d := find_period_end(p.text))]
    if dates:
        doc.reporting_date = Counter(dates).most_common(1)[0][0]
    _infer_period_ends(doc)

    currencies = [t.currency for t in statement_tables if t.currency] or [
        t.currency for t in doc.tables if t.currency
    ]
    if currencies:
        doc.currency = Counter(currencies).most_common(1)[0][0]
    else:
        for p in doc.paragraphs[:300]:
            m = re.search(r"(?i)presentation\s+currency[^.]{0,80}", p.text)
            if m and (code := find_currency(m.group(0))):
                doc.currency = code
                break


def _infer_period_ends(doc: Document) -> None:
    """Year-only columns of a statement take the reporting date's day and month."""
    if not doc.reporting_date:
        return
    month_day = doc.reporting_date[4:]
    if month_day == "-02-29":
        return
    for table in doc.tables:
        if table.statement is None:
            continue
        for column in table.columns:
            if column.year and not column.period_end and column.role is ColumnRole.AMOUNT:
                column.period_end = f"{column.year:04d}{month_day}"
