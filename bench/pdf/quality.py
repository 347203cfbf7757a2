"""Read every corpus 10-K through `read_document`; print what a reader of statements gets.

    .venv/bin/python -m bench.pdf.quality [--corpus ../shared/corpus/pdf] [FILE ...]

Each PDF is read in a child process of its own, so its peak RSS (ru_maxrss of that child) is
the reader's alone. Per file: pages, seconds, peak MB, tables, the primary statements
recognised (`Table.statement`: BS balance sheet, IS income statement, CI comprehensive income,
CF cash flows, EQ equity) with, for each, the tables it spans and the most amount columns with
a period (year) any of them has; then, per statement page of bench/pdf/statements.py, what its
table was recognised as ("CF->IS/3": the cash-flow page read as an income statement with
three year columns). The corpus is public filings kept outside the repository; the
script says so and exits 0 when it is absent. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.pdf.corpus import corpus_dir
from bench.pdf.statements import STATEMENT_PAGES

SHORT = {
    "financial_position": "BS",
    "profit_or_loss": "IS",
    "comprehensive_income": "CI",
    "cash_flows": "CF",
    "changes_in_equity": "EQ",
}


def _read_one(path: str, out: Any) -> None:
    from server.ingest.reader import read_document

    data = Path(path).read_bytes()
    start = time.perf_counter()
    doc = read_document(data, Path(path).name)
    seconds = time.perf_counter() - start
    statements: dict[str, dict[str, int]] = {}
    for table in doc.tables:
        if table.statement is None:
            continue
        key = SHORT.get(str(table.statement), str(table.statement))
        entry = statements.setdefault(key, {"tables": 0, "year_columns": 0})
        entry["tables"] += 1
        years = sum(1 for c in table.amount_columns() if c.year is not None)
        entry["year_columns"] = max(entry["year_columns"], years)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put(
        {
            "file": Path(path).name,
            "pages": doc.pages,
            "seconds": round(seconds, 1),
            "peak_mb": round(peak_mb),
            "tables": len(doc.tables),
            "statements": statements,
            "statement_pages": _statement_pages(data, Path(path).name, doc),
        }
    )


def _statement_pages(data: bytes, name: str, doc: Any) -> dict[str, str]:
    """Per primary statement page: the statement its table was recognised as, and its amount
    columns with a year ("IS/3"); "-" when no table of the page was recognised. Document
    tables carry no page, so the page's raw tables are matched by their first labelled row."""
    from server.ingest.numbers import parse_number
    from server.ingest.pdf import read_pdf
    from server.ingest.raw import RawTable

    raw = read_pdf(data, name)
    raw_tails = [
        (b.page, _tail(parse_number(c) for row in b.rows[1:] for c in row[1:] if c))
        for b in raw.blocks
        if isinstance(b, RawTable)
    ]
    doc_tails = [
        (t, _tail(c if c.value is not None else None for r in t.rows for c in r.cells))
        for t in doc.tables
    ]
    out: dict[str, str] = {}
    for kind, page in STATEMENT_PAGES.get(name, {}).items():
        found = "no table"
        for n, (raw_page, tail) in enumerate(raw_tails):
            if raw_page != page or not tail:
                continue
            nth = sum(1 for _, t in raw_tails[:n] if t == tail)  # the same figures seen before
            matches = [t for t, d in doc_tails if d == tail]
            if len(matches) > nth:
                table = matches[nth]
                short = SHORT.get(str(table.statement), "-") if table.statement else "-"
                years = sum(1 for c in table.amount_columns() if c.year is not None)
                found = f"{short}/{years}"
                break
        out[kind] = found
    return out


def _tail(numbers: Any) -> tuple[float, ...]:
    """The last six figures of a table, as its fingerprint."""
    values = [n.value for n in numbers if n is not None]
    return tuple(values[-6:])


def measure(path: Path) -> dict[str, Any]:
    ctx = mp.get_context("spawn")  # a fresh interpreter: peak RSS is this file's alone
    queue = ctx.Queue()
    proc = ctx.Process(target=_read_one, args=(str(path), queue))
    proc.start()
    try:
        result: dict[str, Any] = queue.get(timeout=1800)
    except Exception as exc:  # noqa: BLE001 - a failed read is a row of the table, not a crash
        result = {"file": path.name, "error": repr(exc)}
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=corpus_dir())
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    corpus = args.corpus
    if corpus is None or not corpus.is_dir():
        print("the corpus (shared/corpus/pdf) is absent on this machine: nothing to measure")
        return
    paths = sorted(corpus.glob("*.pdf"))
    if args.files:
        paths = [p for p in paths if any(f.lower() in p.name.lower() for f in args.files)]
    print(
        f"{'file':32} {'pages':>5} {'s':>6} {'MB':>5} {'tables':>6}  statements (tables/year cols)"
    )
    results = []
    for path in paths:
        r = measure(path)
        results.append(r)
        if "error" in r:
            print(f"{r['file']:32} ERROR {r['error']}")
            continue
        stm = " ".join(
            f"{k}:{v['tables']}/{v['year_columns']}" for k, v in sorted(r["statements"].items())
        )
        print(
            f"{r['file']:32} {r['pages']:>5} {r['seconds']:>6} {r['peak_mb']:>5} "
            f"{r['tables']:>6}  {stm}",
            flush=True,
        )
        pages = " ".join(f"{k}->{v}" for k, v in r.get("statement_pages", {}).items())
        if pages:
            print(f"{'':32} statement pages recognised as: {pages}", flush=True)
    ok = [r for r in results if "error" not in r]
    total = {
        "files": len(results),
        "errors": len(results) - len(ok),
        "seconds": round(sum(r["seconds"] for r in ok), 1),
        "max_peak_mb": max((r["peak_mb"] for r in ok), default=0),
        "with_all_four": sum(1 for r in ok if {"BS", "IS", "CF", "EQ"} <= set(r["statements"])),
    }
    print(f"total: {total}")
    print(json.dumps({"results": results, "total": total}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
