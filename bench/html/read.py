"""Read every HTML filing of the corpus and print what was read, how fast and how heavily.

    .venv/bin/python -m bench.html.read [--corpus ../shared/corpus/html]

Each file is read in a fresh process (so peak RSS is that file's alone) through the product
path, `read_document` (parse, assemble, structure). Per file: seconds, peak RSS, pages, tables,
tagged facts (in the document / on table cells), primary statements recognised, amount columns
with a year (of all amount columns), and the dei cover facts. A folder with a `_cal.xml`
(aeon-10q-2023) is read as a report package would be: the .htm with its calculation linkbase.
The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared/corpus beside the repository; a worktree under wt/ has it one level further up.
CORPUS = (
    next(
        (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
        ROOT.parent / "shared",
    )
    / "corpus"
    / "html"
)
PRIMARY = ("financial_position", "profit_or_loss", "comprehensive_income", "cash_flows")


def inputs(corpus: Path) -> list[Path]:
    return sorted([p for p in corpus.glob("*.htm*")] + [p for p in corpus.iterdir() if p.is_dir()])


def as_upload(path: Path) -> tuple[bytes, str]:
    """A file as uploaded; a folder as the report package (.zip) of its .htm and linkbases."""
    if path.is_file():
        return path.read_bytes(), path.name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for member in sorted(path.iterdir()):
            if member.suffix in (".htm", ".html", ".xhtml") or member.name.endswith("_cal.xml"):
                zf.write(member, member.name)
    return buffer.getvalue(), f"{path.name}.zip"


def measure_one(path: Path) -> dict[str, object]:
    from server.ingest.document import ColumnRole
    from server.ingest.reader import read_document

    data, name = as_upload(path)
    start = time.perf_counter()
    doc = read_document(data, name)
    seconds = time.perf_counter() - start
    amount = [c for t in doc.tables for c in t.columns if c.role is ColumnRole.AMOUNT]
    statement_amount = [
        c for t in doc.tables if t.statement for c in t.columns if c.role is ColumnRole.AMOUNT
    ]
    statements = sorted({t.statement.value for t in doc.tables if t.statement})
    return {
        "file": path.name,
        "mb": round(len(data) / 1e6, 2),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "pages": doc.pages,
        "tables": len(doc.tables),
        "facts": len(doc.facts),
        "facts_on_cells": sum(1 for t in doc.tables for r in t.rows for c in r.cells if c.fact),
        "statements": statements,
        "primary_found": sum(1 for k in PRIMARY if k in statements),
        "statement_tables": sum(1 for t in doc.tables if t.statement),
        "amount_columns": len(amount),
        "amount_columns_with_year": sum(1 for c in amount if c.year),
        "statement_amount_columns_with_year": f"{sum(1 for c in statement_amount if c.year)}/{len(statement_amount)}",
        "entity": doc.entity_name,
        "type": doc.report_type,
        "period_end": doc.reporting_date,
        "calculations": len(doc.calculations),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one)))
        return
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure")
        return
    rows = []
    for path in inputs(args.corpus):
        out = subprocess.run(
            [sys.executable, "-m", "bench.html.read", "--one", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    header = f"{'file':32} {'MB':>5} {'s':>5} {'RSS':>5} {'pages':>5} {'tables':>6} {'facts':>6} {'on cells':>8} {'stmts':>5} {'yr cols':>9}  type  period end"
    print(header)
    for r in rows:
        print(
            f"{r['file'][:32]:32} {r['mb']:5.1f} {r['seconds']:5.2f} {r['peak_rss_mb']:5} "
            f"{r['pages']:5} {r['tables']:6} {r['facts']:6} {r['facts_on_cells']:8} "
            f"{r['primary_found']:3}/4 {r['amount_columns_with_year']:4}/{r['amount_columns']:<4}"
            f"  {r['type']}  {r['period_end']}  {','.join(s[:4] for s in r['statements'])}"  # type: ignore[arg-type]
        )
    print(json.dumps({"files": rows}))


if __name__ == "__main__":
    main()
