"""One HTML document into a `RawDocument`: body blocks, tagged facts, cover-page facts."""

from __future__ import annotations

from server.errors import InvalidDocument
from server.ingest.document import Calculation
from server.ingest.html.body import read_body
from server.ingest.html.ixbrl import catalogue, cover_facts, numeric_fact
from server.ingest.html.tree import IX_NS, parse
from server.ingest.raw import RawDocument, RawParagraph, RawTable
from server.ingest.recognise import find_date
from server.progress import Progress

_TRUE = frozenset({"true", "yes", "1"})


def read_html(
    data: bytes,
    filename: str,
    progress: Progress | None = None,
    calculations: list[Calculation] | None = None,
) -> RawDocument:
    """Raw blocks of an HTML filing; `InvalidDocument` when it holds no readable text."""
    if progress is not None:
        progress(0, 1, "parsing HTML")
    root = parse(data, filename)
    cat = catalogue(root)
    blocks, page_headers, pages = read_body(root, cat, progress)
    if not any(
        (isinstance(b, RawParagraph) and b.text) or (isinstance(b, RawTable) and b.rows)
        for b in blocks
    ):
        raise InvalidDocument(
            f"{filename!r} holds no readable text: it is empty, hidden or not an HTML document."
        )
    facts = [
        f
        for el in root.iter(f"{{{IX_NS}}}nonFraction", "ix:nonfraction")
        if (f := numeric_fact(el, cat)) is not None
    ]
    cover = cover_facts(root)
    raw = RawDocument(
        blocks=blocks,
        page_headers=page_headers,
        pages=pages,
        facts=facts,
        calculations=list(calculations or []),
        entity_name=cover.get("entityregistrantname"),
        report_type=cover.get("documenttype"),
        fiscal_period=cover.get("documentfiscalperiodfocus"),
    )
    if "documentperiodenddate" in cover:
        found = find_date(cover["documentperiodenddate"])
        raw.reporting_date = found[1] if found else None
    if "amendmentflag" in cover:
        raw.amendment = cover["amendmentflag"].strip().lower() in _TRUE
    if progress is not None:
        progress(1, 1, "read")
    return raw
