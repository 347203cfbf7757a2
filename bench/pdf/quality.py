"""Read every corpus 10-K through `read_document`; print what a reader of statements gets.

    .venv/bin/python -m bench.pdf.quality [--corpus ../shared/corpus/pdf] [FILE ...]

Each PDF is read in a child process of its own, so its peak RSS (ru_maxrss of that child) is
the reader's alone. Per file: pages, seconds, peak MB, tables, the primary statements
recognised (`Table.statement`: BS balance sheet, IS income statement, CI comprehensive income,
CF cash flows, EQ equity) with, for each, the tables it spans and the most amount columns with
a period (year) any of them has. The corpus is public filings kept outside the repository; the
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
        }
    )


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
