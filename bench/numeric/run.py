"""Time the numeric agent on documents of growing size; show that cost grows linearly.

    .venv/bin/python -m bench.numeric [--runs 9] [--sizes 10,25,50,100]

Documents are built in memory (bench.numeric.shapes): a full consistent statement set plus note
tables of the common shapes (blocks with subtotals; asset roll-forwards with class columns), so
every kind of check runs. Each size is audited `runs` times with the label caches cleared before
each run (a fresh document pays for its own label normalisation) and the median is reported,
with the cost per printed number and its ratio to the smallest document's: a ratio near 1 means
linear growth (the machine is shared, so single runs are noisy: the fastest run is shown too).
Structure inference, which the readers run, is timed separately. The real Fan Milk sample (40
tables) is timed the same way. The last line printed
is one JSON object with every figure; the goal is under 200 ms for a full annual report.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.numeric.shapes import annual_report
from server.agents.numeric import labels as numeric_labels
from server.agents.numeric.agent import audit
from server.ingest import structure
from server.ingest.document import Document

BASE_TABLES = 10  # the statement set alone: five statements and five notes
GOAL_MS = 200.0
SAMPLE = Path(__file__).resolve().parents[2] / "server" / "samples" / "fanmilk-2024.docx"


def clear_caches() -> None:
    for module in (numeric_labels, structure):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def time_structure(document: Document, runs: int) -> float:
    """Median ms to infer the structure of every table (the readers' share of the work)."""
    times: list[float] = []
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        for table in document.tables:
            structure.infer_structure(table)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def time_audit(document: Document, runs: int) -> tuple[float, float, dict[str, int]]:
    """Median and fastest wall time in ms over `runs` cold-cache runs, and the summary counts."""
    times: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        result = audit(document)
        times.append((time.perf_counter() - start) * 1000)
        s = result.summary
        counts = {
            "tables": s.tables if isinstance(s.tables, int) else 0,
            "numbers": s.numbers if isinstance(s.numbers, int) else 0,
            "checks_run": s.checks_run,
            "checks_skipped": s.checks_skipped if isinstance(s.checks_skipped, int) else 0,
            "findings": len(result.findings),
        }
    return statistics.median(times), min(times), counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sizes", default="10,25,50,100")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[dict[str, float | int | str]] = []
    for size in sizes:
        document = annual_report(seed=size, extra_notes=max(0, size - BASE_TABLES))
        ms, fastest, counts = time_audit(document, args.runs)
        rows.append(
            {
                "document": f"synthetic {size} tables",
                "ms": round(ms, 2),
                "min_ms": round(fastest, 2),
                "structure_ms": round(time_structure(document, args.runs), 2),
                **counts,
            }
        )
    if SAMPLE.exists():
        from server.ingest.reader import read_document

        real = read_document(SAMPLE.read_bytes(), SAMPLE.name)
        ms, fastest, counts = time_audit(real, args.runs)
        rows.append(
            {
                "document": "Fan Milk 2024 (real)",
                "ms": round(ms, 2),
                "min_ms": round(fastest, 2),
                "structure_ms": round(time_structure(real, args.runs), 2),
                **counts,
            }
        )
    base = rows[0]
    base_cost = float(base["ms"]) / max(1, int(base["numbers"]))
    print(
        f"{'document':<24} {'tables':>6} {'numbers':>8} {'checks':>7} {'skipped':>7} "
        f"{'findings':>8} {'median ms':>10} {'min ms':>7} {'struct ms':>9} {'us/number':>10} "
        f"{'ratio':>6}"
    )
    for row in rows:
        cost = float(row["ms"]) / max(1, int(row["numbers"]))
        row["us_per_number"] = round(cost * 1000, 2)
        row["cost_ratio"] = round(cost / base_cost, 2)
        print(
            f"{row['document']:<24} {row['tables']:>6} {row['numbers']:>8} {row['checks_run']:>7} "
            f"{row['checks_skipped']:>7} {row['findings']:>8} {row['ms']:>10.2f} "
            f"{row['min_ms']:>7.2f} {row['structure_ms']:>9.2f} "
            f"{row['us_per_number']:>10.2f} {row['cost_ratio']:>6.2f}"
        )
    largest = max(rows, key=lambda r: int(r["numbers"]))
    ratios = [float(r["cost_ratio"]) for r in rows if str(r["document"]).startswith("synthetic")]
    summary = {
        "bench": "numeric",
        "runs": args.runs,
        "goal_ms": GOAL_MS,
        "largest_ms": largest["ms"],
        "largest_numbers": largest["numbers"],
        "within_goal": float(largest["ms"]) < GOAL_MS,
        "max_cost_ratio": max(ratios),
        "linear": max(ratios) < 2.0,
        "clean_findings": sum(int(r["findings"]) for r in rows),
        "sizes": rows,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
