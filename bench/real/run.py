"""Run Crosscheck over the real reports of the corpus and print what it read and what it found.

Each report is read in a fresh spawned process (one task per process), so the read time and the
peak memory printed are that reader's own. Per report: format, pages, read seconds, peak MB,
tables, primary statements recognised, numeric checks run and skipped, findings by agent and
severity, and how many findings were verified real (bench/real/verified.yaml) against presumed
false alarms. Then totals and averages, and a last line of JSON with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from bench.real import verified as verified_list
from bench.real.corpus import FORMATS, Report, corpus_dir, find_reports
from bench.real.measure import STATUS_OK, measure

AGENTS = ("numeric", "logic", "disclosure", "external")
SEVERITIES = ("high", "medium", "low")
STATEMENTS = {  # Table.statement values, shortest names that read in a table
    "financial_position": "FP",
    "profit_or_loss": "PL",
    "comprehensive_income": "CI",
    "changes_in_equity": "CE",
    "cash_flows": "CF",
}
ALARM_AGENTS = ("numeric", "logic")  # the goal's "numeric or logic finding of high or medium"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.real", description=__doc__)
    parser.add_argument("--corpus", help="corpus folder (default: CROSSCHECK_CORPUS or shared)")
    parser.add_argument("--only", help="only reports whose file name contains this")
    parser.add_argument("--format", choices=FORMATS, help="only reports of this format")
    parser.add_argument("--jobs", type=int, default=1, help="reports read at once (default 1)")
    parser.add_argument("--no-agents", action="store_true", help="reading figures only")
    parser.add_argument("--cache", help="folder of parsed documents reused between runs")
    parser.add_argument("--findings", help="write every finding, as JSON lines, to this file")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--plant", action="store_true", help="planted-error recall instead (bench.real.plant)"
    )
    return parser.parse_args(argv)


def _planting(argv: list[str] | None) -> bool:
    return "--plant" in (sys.argv[1:] if argv is None else argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    if _planting(argv):
        from bench.real import plant

        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--plant"]
        return plant.main(rest)
    args = parse_args(argv)
    root = corpus_dir(args.corpus)
    if not root.is_dir():
        print(f"No corpus at {root}: nothing to measure (set --corpus or CROSSCHECK_CORPUS).")
        figures: dict[str, Any] = {"benchmark": "real", "corpus": str(root), "reports": []}
        print(json.dumps(figures))
        return figures
    reports = find_reports(root, args.only, args.format)
    results = run_reports(reports, args.jobs, args.cache, not args.no_agents)
    entries = verified_list.load()
    for result in results:
        classify(result, entries)
    if args.findings:
        write_findings(Path(args.findings), results)
    figures = {
        "benchmark": "real",
        "corpus": str(root),
        "agents": not args.no_agents,
        "reports": [_without_findings(r) for r in results],
        "totals": totals(results),
    }
    print_table(results, not args.no_agents, args.markdown)
    print_totals(figures["totals"], not args.no_agents)
    print(json.dumps(figures))
    return figures


def run_reports(
    reports: list[Report], jobs: int, cache: str | None, agents: bool
) -> list[dict[str, Any]]:
    """Measure every report in its own spawned process; results in corpus order."""
    results: dict[str, dict[str, Any]] = {}
    context = mp.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, jobs), mp_context=context, max_tasks_per_child=1
    ) as pool:
        futures = {pool.submit(measure, str(r.path), r.format, cache, agents): r for r in reports}
        for future in as_completed(futures):
            report = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the child itself died (e.g. killed for memory)
                result = {
                    "report": report.name,
                    "format": report.format,
                    "status": "error",
                    "message": f"worker failed: {exc!r}"[:500],
                }
            results[report.name] = result
            print(f"  {_progress_line(result)}", file=sys.stderr, flush=True)
    return [results[r.name] for r in reports]


def _progress_line(r: dict[str, Any]) -> str:
    if r["status"] != STATUS_OK:
        return f"{r['report']}: {r['status']}"
    cached = " (cached)" if r.get("cached") else ""
    return (
        f"{r['report']}: read {r['read_s']} s{cached}, {r['tables']} tables, "
        f"{len(r.get('findings', []))} findings"
    )


def classify(result: dict[str, Any], entries: list[verified_list.Verified]) -> None:
    """Mark each finding verified real or presumed false alarm, and tally by agent/severity."""
    by_agent = {a: dict.fromkeys(SEVERITIES, 0) for a in AGENTS}
    real = 0
    for finding in result.get("findings", []):
        finding["verified"] = verified_list.is_verified(entries, result["report"], finding)
        real += finding["verified"]
        by_agent.setdefault(finding["agent"], dict.fromkeys(SEVERITIES, 0))
        by_agent[finding["agent"]][finding["severity"]] += 1
    if result["status"] == STATUS_OK and "agents" in result:
        numeric = result["agents"].get("numeric", {}).get("summary", {})
        result["numeric_checks"] = {
            "run": numeric.get("checks_run", 0),
            "skipped": numeric.get("checks_skipped", 0),
            "failed": numeric.get("checks_failed", 0),
        }
        result["by_agent"] = by_agent
        result["verified_real"] = real
        result["presumed_false"] = len(result.get("findings", [])) - real
        result["alarms_high_medium"] = sum(
            1
            for f in result.get("findings", [])
            if f["agent"] in ALARM_AGENTS
            and f["severity"] in ("high", "medium")
            and not f["verified"]
        )
        result["agent_errors"] = {
            a: v["error"] for a, v in result["agents"].items() if "error" in v
        }


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    read = [r for r in results if r["status"] == STATUS_OK]
    audited = [r for r in read if "by_agent" in r]
    statuses = Counter(r["status"] for r in results)
    out: dict[str, Any] = {
        "reports": len(results),
        "statuses": dict(statuses),
        "read": len(read),
        "pages": sum(r["pages"] for r in read),
        "read_s": round(sum(r["read_s"] for r in read), 1),
        "read_s_per_page": _ratio(sum(r["read_s"] for r in read), sum(r["pages"] for r in read)),
        "read_peak_mb_max": max((r["read_peak_mb"] for r in read), default=0),
        "tables": sum(r["tables"] for r in read),
        "all_four_statements": sum(
            1
            for r in read
            if {"financial_position", "profit_or_loss", "cash_flows", "changes_in_equity"}
            <= set(r["statements"])
        ),
    }
    if not audited:
        return out
    severity = {a: dict.fromkeys(SEVERITIES, 0) for a in AGENTS}
    for r in audited:
        for agent, counts in r["by_agent"].items():
            for sev, n in counts.items():
                severity.setdefault(agent, dict.fromkeys(SEVERITIES, 0))[sev] += n
    alarms = sum(r["alarms_high_medium"] for r in audited)
    out |= {
        "audited": len(audited),
        "numeric_checks_run": sum(r["numeric_checks"]["run"] for r in audited),
        "numeric_checks_skipped": sum(r["numeric_checks"]["skipped"] for r in audited),
        "numeric_checks_run_avg": _ratio(
            sum(r["numeric_checks"]["run"] for r in audited), len(audited)
        ),
        "reports_with_100_checks": sum(1 for r in audited if r["numeric_checks"]["run"] >= 100),
        "findings": severity,
        "findings_total": sum(len(r["findings"]) for r in audited),
        "verified_real": sum(r["verified_real"] for r in audited),
        "presumed_false": sum(r["presumed_false"] for r in audited),
        "numeric_logic_high_medium": alarms,
        "numeric_logic_high_medium_per_report": _ratio(alarms, len(audited)),
        "numeric_logic_high": sum(severity[a]["high"] for a in ALARM_AGENTS),
        "high_all_agents": sum(v["high"] for v in severity.values()),
        "agent_errors": sum(len(r["agent_errors"]) for r in audited),
    }
    return out


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else 0.0


# ---------------------------------------------------------------------------------------------
# Printing


def print_table(results: list[dict[str, Any]], agents: bool, markdown: bool = False) -> None:
    head = ["report", "fmt", "pages", "read s", "MB", "tables", "statements"]
    if agents:
        head += ["checks run/skip", *(f"{a} H/M/L" for a in AGENTS), "real/false"]
    rows = [head]
    for r in results:
        row = [r["report"], r["format"]]
        if r["status"] != STATUS_OK:
            rows.append(row + [f"{r['status']}: {r.get('message', '')}"[:90]])
            continue
        cached = "*" if r.get("cached") else ""
        row += [
            str(r["pages"]),
            f"{r['read_s']:.1f}{cached}",
            f"{r['read_peak_mb']:.0f}",
            str(r["tables"]),
            " ".join(STATEMENTS[s] if s in r["statements"] else "--" for s in STATEMENTS),
        ]
        if agents and "by_agent" in r:
            checks = r["numeric_checks"]
            row.append(f"{checks['run']}/{checks['skipped']}")
            for agent in AGENTS:
                if agent in r["agent_errors"]:
                    row.append("crashed")
                else:
                    c = r["by_agent"].get(agent, {})
                    row.append("/".join(str(c.get(s, 0)) for s in SEVERITIES))
            row.append(f"{r['verified_real']}/{r['presumed_false']}")
        rows.append(row)
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows[1:]:
            if len(row) < len(head):  # a status: its name, the message is in the JSON line
                row = row[:2] + [row[2].split(":", 1)[0]]
            cells = row + [""] * (len(head) - len(row))
            print("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        return
    full = [row for row in rows if len(row) == len(head)]
    widths = [max(len(row[i]) for row in full) for i in range(len(head))]
    for row in rows:
        if len(row) < len(head):  # a status line spans the figure columns
            print("  ".join(c.ljust(w) for c, w in zip(row[:2], widths, strict=False)), row[2])
        else:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if any(r.get("cached") for r in results):
        print("* read figures from the cache (the run that parsed the document)")


def print_totals(t: dict[str, Any], agents: bool) -> None:
    print()
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(t["statuses"].items()))
    print(f"reports: {t['reports']} ({statuses})")
    print(
        f"read: {t['pages']} pages in {t['read_s']} s ({t['read_s_per_page']} s/page), "
        f"peak {t['read_peak_mb_max']:.0f} MB; {t['tables']} tables; "
        f"{t['all_four_statements']} of {t['read']} with all four primary statements"
    )
    if not agents or "audited" not in t:
        return
    print(
        f"numeric checks: {t['numeric_checks_run']} run ({t['numeric_checks_run_avg']} per "
        f"report, {t['reports_with_100_checks']} reports with >= 100), "
        f"{t['numeric_checks_skipped']} skipped"
    )
    for agent, counts in t["findings"].items():
        print(f"  {agent:<10} " + "  ".join(f"{s} {counts[s]}" for s in SEVERITIES))
    print(
        f"findings: {t['findings_total']} ({t['verified_real']} verified real, "
        f"{t['presumed_false']} presumed false alarms)"
    )
    print(
        f"numeric+logic high/medium false alarms: {t['numeric_logic_high_medium']} "
        f"({t['numeric_logic_high_medium_per_report']} per report; goal <= 1), "
        f"of which high {t['numeric_logic_high']} (goal 0)"
    )
    if t["agent_errors"]:
        print(f"agent crashes: {t['agent_errors']}")


def write_findings(path: Path, results: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in results:
            for f in r.get("findings", []):
                fh.write(json.dumps({"report": r["report"], **f}, ensure_ascii=False) + "\n")


def _without_findings(result: dict[str, Any]) -> dict[str, Any]:
    """The per-report figures for the JSON line: the findings themselves go to --findings."""
    out = {k: v for k, v in result.items() if k not in ("findings", "agents")}
    if "agents" in result:
        out["agent_seconds"] = {a: v.get("seconds") for a, v in result["agents"].items()}
    return out


if __name__ == "__main__":
    main()
