"""Plant one error at a time into the real inline-XBRL reports and measure recall per kind.

    .venv/bin/python -m bench.real.plant [--per-kind N] [--seed S] [--kinds a,b] [--only NAME]
                                         [--jobs N] [--list] [--write DIR] [--corpus DIR]
    (or: .venv/bin/python -m bench.real --plant ...)

An audited filing is (presumed) right, so an error planted in it is the only error we know is
there. Each plant edits one tagged figure of a primary statement in the HTML source, so the
tag's value and the printed text change together and the file stays valid inline XBRL:

- line_item: a current-period line item + ~3% (at least 7 printed units);
- broken_subtotal: a current-period total or subtotal + ~3%, its parts unchanged;
- changed_comparative: a prior-period line item + ~3%;
- transposed_digits, sign_flip, scale_x1000: as bench/quality plants them, on line items of
  either period (a sign flip adds or removes the parentheses and toggles the tag's `sign`).

Sites are the non-dimensional, monetary, whole-number facts of the balance sheet, income
statement and cash-flow statement (bench/real/ixbrl.py), drawn per kind with a seeded generator,
so a run is repeatable. The truth kept for each plant: the concept, context, period, row label,
element id, old and new text and tag value.

A plant is caught when the numeric or logic agent reports a finding absent from the report's
clean run that locates it: one of its locations names a table holding the planted figure (found
in the parsed document by the element id the reader keeps with a tagged cell, else by row label
and printed figure), or the finding names the concept. "Row-exact" needs a cell on the planted
row.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.real.corpus import Report, corpus_dir, find_reports
from bench.real.ixbrl import Fact, facts
from bench.real.measure import call_agent

KINDS = (
    "line_item",
    "broken_subtotal",
    "changed_comparative",
    "transposed_digits",
    "sign_flip",
    "scale_x1000",
)
DETECTING_AGENTS = ("numeric", "logic")
PLANTABLE_STATEMENTS = ("financial_position", "profit_or_loss", "cash_flows")


class PlantError(ValueError):
    """The source does not hold the fact where ixbrl.py found it: nothing was planted."""


@dataclass(frozen=True, slots=True)
class Plant:
    """The truth of one planted error."""

    report: str
    kind: str
    fact_id: str
    concept: str
    context: str
    period_end: str | None
    statement: str | None
    row_label: str
    old_text: str  # the element's text before and after
    new_text: str
    old_display: str  # the figure as a reader sees it, parentheses included
    new_display: str
    old_value: float  # the tag's value: text x 10^scale, negated by sign="-"
    new_value: float

    @property
    def description(self) -> str:
        return (
            f"{self.kind}: {self.statement} {self.row_label!r} ({self.concept}, {self.context}, "
            f"{self.period_end}) {self.old_display} -> {self.new_display}"
        )


# ---------------------------------------------------------------------------------------------
# Sites and mutations


def _delta(value: int) -> int:
    """A change well beyond any rounding tolerance, yet plausible: about 3%, at least 7."""
    return max(7, round(abs(value) * 0.03))


def _swap_digits(value: int) -> int | None:
    digits = str(value)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if swapped[0] != "0":
                return int(swapped)
    return None


def _number(fact: Fact) -> int:
    return int(fact.text.replace(",", ""))


def _current_ends(found: list[Fact]) -> dict[str | None, Any]:
    """The latest period end printed in each statement: its current-period column."""
    ends: dict[str | None, Any] = {}
    for f in found:
        if f.period_end is not None and (
            f.statement not in ends or f.period_end > ends[f.statement]
        ):
            ends[f.statement] = f.period_end
    return ends


def sites(found: list[Fact], kind: str) -> list[Fact]:
    """Every fact `kind` can be planted on, in document order."""
    base = [
        f
        for f in found
        if f.statement in PLANTABLE_STATEMENTS
        and not f.in_words
        and f.monetary
        and not f.dimensional
        and f.is_integer
        and f.period_end is not None
        and _number(f) != 0
    ]
    current = _current_ends(base)
    priors: dict[str | None, Any] = {}
    for f in base:
        if f.period_end < current[f.statement] and (
            f.statement not in priors or f.period_end > priors[f.statement]
        ):
            priors[f.statement] = f.period_end  # the comparative: the latest earlier period
    items = [f for f in base if f.role == "item"]
    if kind == "line_item":
        return [f for f in items if f.period_end == current[f.statement]]
    if kind == "broken_subtotal":
        return [f for f in base if f.role == "total" and f.period_end == current[f.statement]]
    if kind == "changed_comparative":
        return [f for f in items if f.period_end == priors.get(f.statement)]
    if kind == "transposed_digits":
        return [f for f in items if _number(f) >= 10 and _swap_digits(_number(f)) is not None]
    if kind == "sign_flip":
        return [f for f in items if f.parens in ("adjacent", "none")]
    if kind == "scale_x1000":
        return [f for f in items if _number(f) < 1_000_000]
    raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")


def choose(found: list[Fact], kind: str, report: str, per_kind: int, seed: int) -> list[Fact]:
    """`per_kind` sites drawn without replacement, the same ones on every run with this seed."""
    candidates = sites(found, kind)
    rng = random.Random(f"{seed}:{report}:{kind}")
    picked = rng.sample(candidates, min(per_kind, len(candidates)))
    return sorted(picked, key=lambda f: f.order)


def _format(value: int, grouped: bool) -> str:
    return f"{value:,}" if grouped else str(value)


def _display(text: str, negative: bool) -> str:
    return f"({text})" if negative else text


def plant(data: bytes, report: str, fact: Fact, kind: str) -> tuple[bytes, Plant]:
    """The filing with one error planted at `fact`, and its truth; the rest byte for byte."""
    old = _number(fact)
    negated = fact.negated
    shown_negative = fact.parens == "adjacent"
    if kind in ("line_item", "broken_subtotal", "changed_comparative"):
        new = old + _delta(old)
    elif kind == "transposed_digits":
        swapped = _swap_digits(old)
        if swapped is None:
            raise PlantError(f"{fact.id}: {fact.text} has no two different adjacent digits")
        new = swapped
    elif kind == "scale_x1000":
        new = old * 1000
    elif kind == "sign_flip":
        if fact.parens not in ("adjacent", "none"):
            raise PlantError(f"{fact.id}: its printed sign is not beside it; cannot flip it")
        new, negated, shown_negative = old, not negated, not shown_negative
    else:
        raise ValueError(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    new_text = _format(new, fact.grouped)
    out = _splice(data, fact, new_text, negated, kind == "sign_flip")
    scale = 10.0**fact.scale
    truth = Plant(
        report=report,
        kind=kind,
        fact_id=fact.id,
        concept=fact.concept,
        context=fact.context,
        period_end=fact.period_end.isoformat() if fact.period_end else None,
        statement=fact.statement,
        row_label=fact.row_label,
        old_text=fact.text,
        new_text=new_text,
        old_display=_display(fact.text, fact.parens == "adjacent"),
        new_display=_display(new_text, shown_negative),
        old_value=(-old if fact.negated else old) * scale,
        new_value=(-new if negated else new) * scale,
    )
    return out, truth


def _splice(data: bytes, fact: Fact, new_text: str, negated: bool, flip: bool) -> bytes:
    """Rewrite the element's text (and for a flip its `sign` and the parentheses around it)."""
    marker = f' id="{fact.id}"'.encode()
    at = data.find(marker)
    if at < 0 or data.find(marker, at + 1) >= 0:
        raise PlantError(f"id {fact.id!r} is not exactly once in the source")
    start = data.rfind(b"<", 0, at)
    name_end = start + 1
    while data[name_end : name_end + 1] not in (b" ", b"\t", b"\n", b"\r", b">", b"/"):
        name_end += 1
    qname = data[start + 1 : name_end]
    if not qname.endswith(b"nonFraction"):
        raise PlantError(f"id {fact.id!r} is on <{qname.decode(errors='replace')}>")
    open_end = data.index(b">", at)
    close = data.index(b"</", open_end)
    close_end = close + len(b"</" + qname + b">")
    if data[close:close_end] != b"</" + qname + b">":
        raise PlantError(f"{fact.id}: its element holds markup, not just a figure")
    text = data[open_end + 1 : close]
    if text.strip().decode("ascii", errors="replace") != fact.text:
        raise PlantError(f"{fact.id}: source text {text!r} is not {fact.text!r}")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    start_tag = data[start : open_end + 1]
    if flip:
        start_tag = _toggle_sign(start_tag, negated)
    element = start_tag + lead + new_text.encode() + trail + data[close:close_end]
    before, after = data[:start], data[close_end:]
    if flip:
        if before.endswith(b"(") and after.startswith(b")"):
            before, after = before[:-1], after[1:]
        else:
            before, after = before + b"(", b")" + after
    return before + element + after


_SIGN = re.compile(rb'\ssign\s*=\s*"-"')


def _toggle_sign(start_tag: bytes, negated: bool) -> bytes:
    stripped = _SIGN.sub(b"", start_tag)
    return stripped[:-1] + b' sign="-">' if negated else stripped


# ---------------------------------------------------------------------------------------------
# Scoring (needs a reader that accepts HTML)

_NOT_FIGURE = re.compile(r"[\s$€£¥\u00a0]")
_SPACES = re.compile(r"\s+")


def figure_key(text: str) -> str:
    """A printed figure compared the way a reader may print it: "(1,234)", "$ -1,234", "−1,234"."""
    t = _NOT_FIGURE.sub("", text).replace("\u2212", "-").replace("\u2013", "-")
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]
    return t


def norm(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2013", "-")
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass
class Targets:
    tables: set[str] = field(default_factory=set)
    rows: set[tuple[str, int]] = field(default_factory=set)
    concept: str = ""


def resolve(truth: Plant, document: Any) -> Targets:
    """Where the planted figure sits in the parsed document: by the tag the reader kept with
    the cell (its element id), else by row label and printed figure."""
    out = Targets(concept=truth.concept)
    want_label, want_figure = norm(truth.row_label), figure_key(truth.new_display)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                tag = getattr(cell, "fact", None)  # the reader's record of the cell's ix tag
                by_tag = tag is not None and getattr(tag, "id", None) == truth.fact_id
                label = norm(row.label)
                same_label = bool(label) and (
                    label == want_label
                    or label.startswith(want_label)
                    or want_label.startswith(label)
                )
                if by_tag or (same_label and figure_key(cell.text) == want_figure):
                    out.tables.add(table.id)
                    out.rows.add((table.id, row.index))
    return out


def catches(finding: dict[str, Any], targets: Targets) -> tuple[bool, bool]:
    """(caught, row_exact) for one new finding of a detecting agent."""
    exact = False
    located = False
    for loc in finding.get("locations", []):
        if loc.get("table") in targets.tables:
            located = True
            if any((loc["table"], c.get("row")) in targets.rows for c in loc.get("cells", [])):
                exact = True
    local = targets.concept.split(":", 1)[-1]
    named = bool(local) and local in json.dumps(finding)
    return located or named, exact


# ---------------------------------------------------------------------------------------------
# Running


def _audit(data: bytes, name: str) -> tuple[Any, list[dict[str, Any]]]:
    from server.agents.base import AuditInputs
    from server.agents.registry import default_agents
    from server.ingest.reader import read_document

    document = read_document(data, name)
    agents = default_agents()
    found: list[dict[str, Any]] = []
    for agent in DETECTING_AGENTS:
        result = call_agent(agents[agent], AuditInputs(document=document))
        for finding in result.model_dump(mode="json")["findings"]:
            found.append({"agent": agent, **finding})
    return document, found


def clean_run(path: str) -> dict[str, Any]:
    """The report as filed: the ids of the findings it already has (not catches)."""
    from server.errors import InvalidDocument, UnsupportedDocument

    file = Path(path)
    try:
        _, found = _audit(file.read_bytes(), file.name)
    except UnsupportedDocument as exc:
        return {"report": file.name, "status": "unsupported", "message": str(exc)}
    except InvalidDocument as exc:
        return {"report": file.name, "status": "invalid", "message": str(exc)}
    return {"report": file.name, "status": "ok", "ids": sorted({f["id"] for f in found})}


def case_run(path: str, fact: Fact, kind: str, clean_ids: list[str]) -> dict[str, Any]:
    """Plant one error, read and audit the result, and say whether it was caught."""
    file = Path(path)
    planted, truth = plant(file.read_bytes(), file.name, fact, kind)
    out: dict[str, Any] = {"truth": asdict(truth), "caught": False, "row_exact": False}
    try:
        document, found = _audit(planted, file.name)
    except Exception as exc:  # a reader that fails on one changed figure is a finding in itself
        return out | {"error": f"{type(exc).__name__}: {exc}"[:300]}
    targets = resolve(truth, document)
    known = set(clean_ids)
    new = [f for f in found if f["id"] not in known]
    for finding in new:
        caught, exact = catches(finding, targets)
        if caught:
            out["caught"] = True
            out["row_exact"] = out["row_exact"] or exact
            out.setdefault("by", []).append(
                {k: finding.get(k) for k in ("id", "agent", "check", "severity", "title")}
            )
    out["located"] = bool(targets.tables)
    out["new_findings"] = len(new)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.real.plant", description=__doc__)
    parser.add_argument("--corpus", help="corpus folder (default: CROSSCHECK_CORPUS or shared)")
    parser.add_argument("--only", help="only reports whose file name contains this")
    parser.add_argument("--per-kind", type=int, default=3, help="sites per kind and report")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", help=f"comma-separated subset of {','.join(KINDS)}")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--list", action="store_true", help="print the plants; read nothing")
    parser.add_argument("--write", help="write each planted file and its truth to this folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    kinds = tuple(args.kinds.split(",")) if args.kinds else KINDS
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kinds {unknown}; kinds: {', '.join(KINDS)}")
    root = corpus_dir(args.corpus)
    figures: dict[str, Any] = {"benchmark": "real-plant", "corpus": str(root), "seed": args.seed}
    if not root.is_dir():
        print(f"No corpus at {root}: nothing to plant (set --corpus or CROSSCHECK_CORPUS).")
        print(json.dumps(figures))
        return figures
    reports = find_reports(root, args.only, "html")
    plans = {r.name: _plan(r, kinds, args.per_kind, args.seed) for r in reports}
    figures["planted"] = sum(len(p) for p in plans.values())
    if args.list or args.write:
        _list(reports, plans, Path(args.write) if args.write else None)
        if args.list:
            print(json.dumps(figures))
            return figures
    figures |= _measure(reports, plans, args.jobs)
    _print(figures)
    print(json.dumps(figures))
    return figures


def _plan(
    report: Report, kinds: tuple[str, ...], per_kind: int, seed: int
) -> list[tuple[str, Fact]]:
    found = facts(report.path.read_bytes())
    return [(k, f) for k in kinds for f in choose(found, k, report.name, per_kind, seed)]


def _list(
    reports: list[Report], plans: dict[str, list[tuple[str, Fact]]], out: Path | None
) -> None:
    for report in reports:
        data = report.path.read_bytes()
        print(f"{report.name}: {len(plans[report.name])} plants")
        for n, (kind, fact) in enumerate(plans[report.name]):
            planted, truth = plant(data, report.name, fact, kind)
            print(f"  {truth.description}")
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                stem = f"{report.path.stem}.{n:02d}-{kind}"
                (out / f"{stem}{report.path.suffix}").write_bytes(planted)
                (out / f"{stem}.truth.json").write_text(json.dumps(asdict(truth), indent=1))


def _measure(
    reports: list[Report], plans: dict[str, list[tuple[str, Fact]]], jobs: int
) -> dict[str, Any]:
    context = mp.get_context("spawn")
    cases: list[dict[str, Any]] = []
    statuses: dict[str, Any] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        cleans = {r.name: pool.submit(clean_run, str(r.path)) for r in reports if plans[r.name]}
        pending = []
        for report in reports:
            if report.name not in cleans:
                statuses[report.name] = {"status": "no sites"}
                continue
            clean = cleans[report.name].result()
            statuses[report.name] = {k: v for k, v in clean.items() if k != "ids"}
            print(f"  {report.name}: clean run {clean['status']}", file=sys.stderr, flush=True)
            if clean["status"] != "ok":
                continue
            for kind, fact in plans[report.name]:
                pending.append(pool.submit(case_run, str(report.path), fact, kind, clean["ids"]))
        for future in pending:
            cases.append(future.result())
    return {"reports": statuses, "cases": cases, "recall": _recall(cases)}


def _recall(cases: list[dict[str, Any]]) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    by_report: dict[str, Counter[str]] = defaultdict(Counter)
    for case in cases:
        for key, table in ((case["truth"]["kind"], by_kind), (case["truth"]["report"], by_report)):
            table[key]["planted"] += 1
            table[key]["caught"] += case["caught"]
            table[key]["row_exact"] += case["row_exact"]
            table[key]["errors"] += "error" in case
    total = Counter[str]()
    for counts in by_kind.values():
        total.update(counts)

    def rates(c: Counter[str]) -> dict[str, Any]:
        n = c["planted"]
        counts = {k: c[k] for k in ("planted", "caught", "row_exact", "errors")}
        return counts | {"recall": round(c["caught"] / n, 3) if n else None}

    return {
        "by_kind": {k: rates(c) for k, c in sorted(by_kind.items())},
        "by_report": {k: rates(c) for k, c in sorted(by_report.items())},
        "total": rates(total),
    }


def _print(figures: dict[str, Any]) -> None:
    for name, status in figures["reports"].items():
        if status.get("status") != "ok":
            print(f"{name}: {status.get('status')}: {status.get('message', '')}")
    recall = figures["recall"]
    if not recall["total"]["planted"]:
        print("no plant was audited (is HTML read yet?): no recall figures")
        return
    for title, rows in (("kind", recall["by_kind"]), ("report", recall["by_report"])):
        print(f"\n{title:<28} planted  caught  row-exact  errors  recall")
        for name, c in rows.items():
            print(
                f"{name:<28} {c['planted']:>7}  {c['caught']:>6}  {c['row_exact']:>9}  "
                f"{c['errors']:>6}  {c['recall']:.0%}"
            )
    t = recall["total"]
    print(
        f"\nnumeric/logic recall on planted errors: {t['caught']}/{t['planted']} = {t['recall']:.0%}"
    )


if __name__ == "__main__":
    main()
