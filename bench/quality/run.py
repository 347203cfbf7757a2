"""Measure detection quality: false positives on clean documents, recall on planted errors.

    .venv/bin/python -m bench.quality.run [--per-kind N] [--limit N] [--tiny] [--sets a,b]

For each sample set the clean report (with its prior year and memos) is read with
`server.ingest.reader.read_document` and audited by every available agent; each finding there is
a false positive, unless it points at a row the data set lists under `metadata.known_issues` (a
real inconsistency of the published statements, reported separately). Then one error at a time
is planted (bench.quality.inject) and only the agent expected to catch it is run.

When is an injection caught? The expected agent must report a finding whose id is absent from
its clean run, and that finding must point at the error:
  - cell errors (numeric kinds, negative_value, prior_year_mismatch): one of the finding's
    locations names a table that holds a target cell (the mutated cell, or for a broken tie and a
    reclassified comparative the partner cell), found in the parsed document by row label and
    printed text. "Row-exact" additionally needs a cell reference on a target row;
  - sentence errors (narrative, percentages, rates, dates, FX rate, LEI): a location names the
    paragraph holding the mutated sentence, or quotes text inside it, or the finding mentions the
    mutated value;
  - omissions (going concern, a note, a memo event): the finding mentions one of the case's
    keywords (the removed standard, "going concern", the memo event's names and amounts).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import json
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.quality.inject import KINDS, SETS, Built, Case, SampleSet, build_case, clean_inputs, plan
from bench.samples.build import load_set

AGENTS = ("numeric", "logic", "disclosure", "external")
_SPACES = re.compile(r"\s+")


def norm(text: str) -> str:
    """Compare text the way a reader may have changed it: case, NBSP, dashes, runs of spaces."""
    text = text.replace("\u00a0", " ").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2212", "-")
    return _SPACES.sub(" ", text).strip().casefold()


# ---------------------------------------------------------------------------------------------
# Agents and reading


def load_agents() -> tuple[dict[str, Callable[..., Any]], list[str]]:
    """The agents that exist now; the others are reported as not available."""
    found: dict[str, Callable[..., Any]] = {}
    missing: list[str] = []
    for name in AGENTS:
        module_name = f"server.agents.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            missing.append(name)
            continue
        except ImportError as exc:  # an agent being rewritten by its owner: say so, go on
            missing.append(f"{name} (import failed: {exc})")
            continue
        found[name] = module.run
    return found, missing


_COMPANIONS: dict[tuple[str, str], Any] = {}


def _read_companion(name: str, data: bytes) -> Any:
    """Prior years and memos are the same in every case of a set: read each once."""
    from server.ingest.reader import read_document

    key = (name, hashlib.sha256(data).hexdigest())
    if key not in _COMPANIONS:
        _COMPANIONS[key] = read_document(data, name)
    return _COMPANIONS[key]


def read_inputs(built: Built) -> Any:
    from server.agents.base import AuditInputs
    from server.ingest.reader import read_document

    prior = _read_companion(*built.prior_year) if built.prior_year else None
    memos = [_read_companion(name, data) for name, data in built.memos]
    return AuditInputs(
        document=read_document(built.document, built.filename), prior_year=prior, memos=memos
    )


def run_agent(agent: Callable[..., Any], inputs: Any) -> list[dict[str, Any]]:
    result = asyncio.run(agent(inputs))
    dumped: dict[str, Any] = result.model_dump(mode="json")
    findings: list[dict[str, Any]] = dumped["findings"]
    return findings


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass
class Targets:
    tables: set[str] = field(default_factory=set)
    rows: set[tuple[str, int]] = field(default_factory=set)
    paragraphs: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def resolve(case: Case, document: Any) -> Targets:
    """Where the planted error sits in the parsed document."""
    out = Targets(keywords=[norm(k) for k in case.keywords])
    for target in case.cells:
        want_label, want_text = norm(target.row), norm(target.text)
        for table in document.tables:
            for row in table.rows:
                if want_label and norm(row.label) != want_label:
                    continue
                if any(norm(c.text) == want_text for c in row.cells):
                    out.tables.add(table.id)
                    out.rows.add((table.id, row.index))
    for text in case.paragraphs:
        wanted = norm(text)
        out.texts.append(wanted)
        for para in document.paragraphs:
            got = norm(para.text)
            if got and (got == wanted or got in wanted or wanted in got):
                out.paragraphs.add(para.id)
    return out


def catches(finding: dict[str, Any], targets: Targets) -> tuple[bool, bool]:
    """(caught, row_exact) for one new finding of the expected agent."""
    blob = norm(json.dumps(finding, ensure_ascii=False))
    exact = False
    for loc in finding.get("locations", []):
        if loc.get("table") in targets.tables:
            rows = {(loc["table"], c["row"]) for c in loc.get("cells", [])}
            exact = exact or bool(rows & targets.rows)
            return True, exact
        if loc.get("paragraph") in targets.paragraphs:
            return True, True
        quote = norm(loc.get("quote", ""))
        if quote and any(quote in text for text in targets.texts):
            return True, True
    if targets.keywords and any(k in blob for k in targets.keywords):
        return True, False
    return False, False


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Tally:
    sites: int = 0
    caught: int = 0
    exact: int = 0
    errors: int = 0
    unresolved: int = 0  # the planted cell/sentence could not be found in the parsed document


def known_rows(set_name: str) -> set[str]:
    data = load_set(set_name)
    return {norm(k["row"]) for k in data.get("metadata", {}).get("known_issues", [])}


def is_known(finding: dict[str, Any], document: Any, known: set[str]) -> bool:
    tables = {t.id: t for t in document.tables}
    for loc in finding.get("locations", []):
        table = tables.get(loc.get("table", ""))
        if table is None:
            continue
        for cell in loc.get("cells", []):
            if cell["row"] < len(table.rows) and norm(table.rows[cell["row"]].label) in known:
                return True
    return False


def evaluate(
    sets: tuple[SampleSet, ...], per_kind: int, limit: int | None, kinds: tuple[str, ...] | None
) -> dict[str, Any]:
    agents, missing = load_agents()
    fp: dict[str, Counter[str]] = defaultdict(Counter)
    known_fp: Counter[str] = Counter()
    fp_titles: dict[str, Counter[str]] = defaultdict(Counter)
    fp_details: list[dict[str, Any]] = []
    clean_ids: dict[tuple[str, str], set[str]] = {}
    for sample in sets:
        inputs = read_inputs(clean_inputs(sample))
        known = known_rows(sample.name)
        for name, agent in agents.items():
            findings = run_agent(agent, inputs)
            clean_ids[(sample.name, name)] = {f["id"] for f in findings}
            for f in findings:
                if is_known(f, inputs.document, known):
                    known_fp[name] += 1
                    continue
                fp[name][f["severity"]] += 1
                fp_titles[name][f["title"]] += 1
                fp_details.append(
                    {
                        "set": sample.name,
                        "agent": name,
                        "severity": f["severity"],
                        "title": f["title"],
                        "locations": f.get("locations", []),
                    }
                )

    by_kind: dict[str, Tally] = defaultdict(Tally)
    cases = plan(per_kind, sets=sets, kinds=kinds)
    if limit is not None:
        cases = cases[:limit]
    misses: list[str] = []
    started = time.monotonic()
    for sample, kind, site in cases:
        agent_name = KINDS[kind]
        tally = by_kind[kind]
        if agent_name not in agents:
            continue
        tally.sites += 1
        try:
            built = build_case(sample, kind, site)
            inputs = read_inputs(built)
            targets = resolve(built.case, inputs.document)
            if built.case.cells and not targets.tables:
                tally.unresolved += 1
            if built.case.paragraphs and not (targets.paragraphs or targets.keywords):
                tally.unresolved += 1
            findings = run_agent(agents[agent_name], inputs)
        except Exception as exc:  # a crash is a measured outcome here, never a silent pass
            tally.errors += 1
            misses.append(f"ERROR {sample.name} {kind} {site}: {type(exc).__name__}: {exc}")
            traceback.print_exc(limit=2, file=sys.stderr)
            continue
        new = [f for f in findings if f["id"] not in clean_ids[(sample.name, agent_name)]]
        results = [catches(f, targets) for f in new]
        if any(c for c, _ in results):
            tally.caught += 1
            tally.exact += any(e for c, e in results if c)
        else:
            misses.append(f"miss {sample.name} {kind} {site}: {built.case.description}")
    elapsed = time.monotonic() - started

    per_agent: dict[str, dict[str, int]] = defaultdict(lambda: {"sites": 0, "caught": 0})
    for kind, tally in by_kind.items():
        per_agent[KINDS[kind]]["sites"] += tally.sites
        per_agent[KINDS[kind]]["caught"] += tally.caught
    return {
        "sets": [s.name for s in sets],
        "agents_available": sorted(agents),
        "agents_not_available": missing,
        "false_positives": {a: dict(fp[a]) for a in agents},
        "false_positive_titles": {a: dict(fp_titles[a].most_common(8)) for a in agents},
        "known_published_issues_flagged": dict(known_fp),
        "recall_by_kind": {
            kind: {
                "agent": KINDS[kind],
                "sites": t.sites,
                "caught": t.caught,
                "row_exact": t.exact,
                "errors": t.errors,
                "unresolved": t.unresolved,
                "recall": round(t.caught / t.sites, 3) if t.sites else None,
            }
            for kind, t in sorted(by_kind.items())
        },
        "recall_by_agent": {
            a: {**v, "recall": round(v["caught"] / v["sites"], 3) if v["sites"] else None}
            for a, v in sorted(per_agent.items())
        },
        "cases": len(cases),
        "seconds": round(elapsed, 1),
        "false_positive_details": fp_details,
        "misses": misses,
    }


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    if report["agents_not_available"]:
        console.print(f"not available: {', '.join(report['agents_not_available'])}")
    fp = Table(title="Findings on clean documents (false positives)")
    for col in ("agent", "high", "medium", "low", "known published issues"):
        fp.add_column(col)
    for agent, counts in report["false_positives"].items():
        fp.add_row(
            agent,
            *(str(counts.get(s, 0)) for s in ("high", "medium", "low")),
            str(report["known_published_issues_flagged"].get(agent, 0)),
        )
    console.print(fp)
    rec = Table(title="Recall on planted errors")
    for col in ("kind", "agent", "sites", "caught", "row-exact", "recall", "errors", "unresolved"):
        rec.add_column(col)
    for kind, r in report["recall_by_kind"].items():
        rec.add_row(
            kind,
            r["agent"],
            str(r["sites"]),
            str(r["caught"]),
            str(r["row_exact"]),
            "-" if r["recall"] is None else f"{r['recall']:.0%}",
            str(r["errors"]),
            str(r["unresolved"]),
        )
    console.print(rec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=8, help="sites sampled per set and kind")
    parser.add_argument("--limit", type=int, default=None, help="stop after N cases")
    parser.add_argument("--tiny", action="store_true", help="CI smoke test: one set, few cases")
    parser.add_argument("--sets", default=None, help="comma-separated set names")
    parser.add_argument("--kinds", default=None, help="comma-separated error kinds")
    parser.add_argument(
        "--details", default=None, help="write misses and false positives (JSON) to this file"
    )
    args = parser.parse_args(argv)
    sets = SETS
    if args.sets:
        wanted = set(args.sets.split(","))
        sets = tuple(s for s in SETS if s.name in wanted)
    kinds = tuple(args.kinds.split(",")) if args.kinds else None
    per_kind, limit = args.per_kind, args.limit
    if args.tiny:
        sets, per_kind = sets[:1], 1
        kinds = kinds or (
            "broken_subtotal",
            "narrative_amount",
            "note_removed",
            "prior_year_mismatch",
        )
    report = evaluate(sets, per_kind, limit, kinds)
    render(report)
    if args.details:
        details = {k: report[k] for k in ("misses", "false_positive_details")}
        with open(args.details, "w", encoding="utf-8") as fh:
            json.dump(details, fh, indent=2, ensure_ascii=False)
    hidden = ("misses", "false_positive_details")
    print(json.dumps({k: v for k, v in report.items() if k not in hidden}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
