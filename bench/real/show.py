"""Show how Crosscheck read one corpus report: its tables, or one table cell by cell.

    .venv/bin/python -m bench.real.show REPORT [TABLE ...] [--cache DIR] [--corpus DIR]

REPORT is a substring of the file name; TABLE ids ("t12") print that table with its column roles
and periods, each row's kind and the rows a total sums, and every cell's text. It is the tool
for triage: a finding's table id, from `--findings`, shown as the agents saw it. The document
comes from the benchmark's cache when it holds the current reader's parse, else it is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench.real.cache import DocumentCache
from bench.real.corpus import corpus_dir, find_reports


def load(report: str, cache: str | None, corpus: str | None) -> Any:
    matches = find_reports(corpus_dir(corpus), only=report)
    if len(matches) != 1:
        names = ", ".join(r.name for r in matches) or "none"
        raise SystemExit(f"{report!r} matches {len(matches)} reports ({names}); be precise.")
    path = matches[0].path
    data = path.read_bytes()
    entry = DocumentCache(Path(cache)).load(data) if cache else None
    if entry is not None:
        return entry.document
    from server.ingest.reader import read_document

    return read_document(data, path.name)


def outline(document: Any) -> None:
    print(f"{document.name}: {document.pages} pages, {len(document.tables)} tables")
    for table in document.tables:
        amounts = sum(1 for c in table.columns if c.role.value == "amount")
        statement = table.statement.value if table.statement else "-"
        title = (table.title or "")[:70]
        print(
            f"  {table.id:<5} {statement:<20} {len(table.rows):>3} rows {amounts} amount cols"
            f"  {table.scale_label:<9} {title}"
        )


def grid(document: Any, table_id: str) -> None:
    table = next((t for t in document.tables if t.id == table_id), None)
    if table is None:
        print(f"{document.name} has no table {table_id}")
        return
    statement = table.statement.value if table.statement else "-"
    print(f"{table.id} [{statement}] {table.title!r} scale={table.scale_label}")
    for c in table.columns:
        print(f"  col {c.index}: {c.role.value:<7} header={c.header!r} period={c.period!r}")
    for row in table.rows:
        parts = " | ".join(cell.text for cell in row.cells)
        sums = f" = {row.components}" if row.components else ""
        print(f"  r{row.index:<3} {row.kind.value:<8} {row.label[:50]!r}: {parts}{sums}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.real.show", description=__doc__)
    parser.add_argument("report")
    parser.add_argument("tables", nargs="*")
    parser.add_argument("--cache")
    parser.add_argument("--corpus")
    args = parser.parse_intermixed_args(argv)
    document = load(args.report, args.cache, args.corpus)
    if not args.tables:
        outline(document)
    for table_id in args.tables:
        grid(document, table_id)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
