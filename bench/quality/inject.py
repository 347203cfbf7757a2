"""Plant one known error into a sample data set and say exactly where it is.

The injector works on the YAML data (bench/samples/data), never on Word files, so every
mutation is a precise edit of one figure, sentence, note or memo item; the builder then renders the
mutated set. Each `Case` carries the ground truth the runner scores against: the error kind, the
agent expected to catch it, and what a catching finding must point at.

Sites are enumerated exhaustively per kind (every eligible row, paragraph amount, note, memo
event...) and sampled deterministically, so recall is measured over many places, not one.
"""

from __future__ import annotations

import copy
import functools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.samples.build import (
    Data,
    _table_specs,
    build_docx,
    build_memo,
    format_amount,
    load_set,
)

# kind -> agent expected to catch it
KINDS: dict[str, str] = {
    "broken_subtotal": "numeric",
    "transposed_digits": "numeric",
    "sign_flip": "numeric",
    "scale_x1000": "numeric",
    "broken_tie": "numeric",
    "changed_comparative": "numeric",
    "narrative_amount": "logic",
    "false_percentage": "logic",
    "negative_value": "logic",
    "inconsistent_date": "logic",
    "inconsistent_rate": "logic",
    "going_concern_removed": "logic",
    "note_removed": "disclosure",
    "prior_year_mismatch": "external",
    "memo_event_omitted": "external",
    "wrong_fx_rate": "external",
    "bad_lei": "external",
    "bad_isin": "external",
}

# Labels of lines that can never be negative (DQC 0015), for negative_value.
_NON_NEGATIVE = re.compile(
    r"^(revenue|net sales|gross sales|cash and cash equivalents|cash at bank|inventories|"
    r"property, plant and equipment|intangible assets|trade and other receivables|"
    r"share capital|stated capital|share premium|total assets|total current assets|"
    r"total non-current assets|right-of-use assets)",
    re.IGNORECASE,
)
_MONEY = re.compile(r"(?:GH₵|£|€|EUR |USD |\$)(\d[\d,]*(?:\.\d+)?)(\s?(?:million|m|bn|billion))?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
# a stated change ("increased by 24%"): checkable against the two period columns
_CHANGE_PERCENT = re.compile(r"(?<=\bby )(\d+(?:\.\d+)?)%")
_CHANGE_VERB = re.compile(r"\b(increased|decreased|rose|fell|grew|declined)\b")
_SCALES = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_WORD_SCALES = {"million": 1e6, "m": 1e6, "bn": 1e9, "billion": 1e9}
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b")


@dataclass(frozen=True)
class CellTarget:
    """A table cell the error touches: table key in the data set, row label, printed text."""

    table: str
    row: str
    column: int  # index into the row's values (0 = current period for period tables)
    text: str  # the printed text of the mutated cell, to find it in the parsed document


@dataclass(frozen=True)
class Case:
    """One planted error and its ground truth."""

    set_name: str
    kind: str
    agent: str
    site: str  # stable, human-readable id of the injection site
    description: str
    cells: tuple[CellTarget, ...] = ()  # cells a catching finding may point at
    paragraphs: tuple[str, ...] = ()  # distinctive text of the mutated sentence(s)
    keywords: tuple[str, ...] = ()  # words a catching finding must mention (no location)
    needs_prior: bool = False
    needs_memos: bool = False


@dataclass
class Built:
    """The mutated documents of a case, ready for the reader."""

    case: Case
    document: bytes
    filename: str
    prior_year: tuple[str, bytes] | None = None
    memos: list[tuple[str, bytes]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Addressing rows and paragraphs in a data set


def _specs(data: Data) -> dict[str, Data]:
    return dict(_table_specs(data))


def _is_statement(key: str) -> bool:
    return not key.startswith("note:")


def _has_total(spec: Data) -> bool:
    return any(r.get("r") in ("subtotal", "total") for r in spec["rows"])


def _paragraphs(data: Data) -> Iterator[tuple[str, Data]]:
    """Every paragraph block with a stable path."""
    for i, block in enumerate(data.get("front", [])):
        if "p" in block:
            yield f"front/{i}", block
    for stmt in data.get("statements", []):
        for i, block in enumerate(stmt.get("after", [])):
            if "p" in block:
                yield f"{stmt['key']}/after/{i}", block
    for note in data.get("notes", []):
        for i, block in enumerate(note.get("blocks", [])):
            if "p" in block:
                yield f"note:{note['number']}/{i}", block


def _paragraph(data: Data, path: str) -> Data:
    return dict(_paragraphs(data))[path]


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _printed(row: Data, col: int) -> str:
    value = row["v"][col]
    return format_amount(value, int(row.get("decimals", 0)))


def _delta(value: float | None) -> int:
    """A change well beyond any rounding tolerance, yet plausible: about 3% and at least 7."""
    base = abs(value or 0)
    return max(7, int(round(base * 0.03)))


def _swap_digits(value: int) -> int | None:
    digits = str(abs(value))
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if swapped[0] == "0":
                continue
            out = int(swapped)
            return -out if value < 0 else out
    return None


# ---------------------------------------------------------------------------------------------
# Site enumeration: (site id, mutate function) per kind


Mutation = Callable[[Data], Case]


def _row_sites(
    data: Data,
    *,
    roles: tuple[str, ...],
    statements_only: bool = False,
    columns: tuple[int, ...] | None = None,
    need_total: bool = True,
    accept: Callable[[Data, float], bool] = lambda row, v: True,
) -> Iterator[tuple[str, int, int, Data]]:
    for key, spec in _table_specs(data):
        if statements_only and not _is_statement(key):
            continue
        if need_total and not _has_total(spec):
            continue
        for idx, row in enumerate(spec["rows"]):
            if row.get("r", "item") not in roles or "v" not in row or row.get("decimals"):
                continue
            cols = columns if columns is not None else tuple(range(len(row["v"])))
            for col in cols:
                if col >= len(row["v"]):
                    continue
                value = row["v"][col]
                if isinstance(value, str):
                    continue
                if not accept(row, value or 0):
                    continue
                yield key, idx, col, row


def _cell_case(
    data: Data, kind: str, key: str, idx: int, col: int, new: float | None, why: str
) -> Case:
    spec = _specs(data)[key]
    row = spec["rows"][idx]
    old = _printed(row, col)
    row["v"][col] = new
    text = _printed(row, col)
    label = _clean(row.get("l", ""))
    return Case(
        set_name=data["id"],
        kind=kind,
        agent=KINDS[kind],
        site=f"{key}[{idx}]:{col}",
        description=f"{why}: {key} row {label!r} column {col}: {old} -> {text}",
        cells=(CellTarget(key, label, col, text),),
    )


def sites(
    data: Data, kind: str, prior: Data | None = None, memo: Data | None = None
) -> list[tuple[str, Mutation]]:
    """Every place `kind` can be planted in `data`, each with the function that plants it."""
    out: list[tuple[str, Mutation]] = []

    def cell_site(
        key: str, idx: int, col: int, new: Callable[[float], float | None], why: str
    ) -> None:
        def mutate(d: Data) -> Case:
            value = _specs(d)[key]["rows"][idx]["v"][col]
            return _cell_case(d, kind, key, idx, col, new(value or 0), why)

        out.append((f"{key}[{idx}]:{col}", mutate))

    if kind == "broken_subtotal":
        for key, idx, col, _row in _row_sites(data, roles=("subtotal", "total")):
            cell_site(key, idx, col, lambda v: v + _delta(v), "total no longer foots")
    elif kind == "transposed_digits":
        for key, idx, col, _row in _row_sites(
            data,
            roles=("item",),
            accept=lambda r, v: abs(v) >= 10 and _swap_digits(int(v)) is not None,
        ):
            cell_site(key, idx, col, lambda v: _swap_digits(int(v)), "digits transposed")
    elif kind == "sign_flip":
        for key, idx, col, _row in _row_sites(data, roles=("item",), accept=lambda r, v: v != 0):
            cell_site(key, idx, col, lambda v: -v, "sign flipped")
    elif kind == "scale_x1000":
        for key, idx, col, _row in _row_sites(
            data, roles=("item",), accept=lambda r, v: v != 0 and abs(v) < 1e9
        ):
            cell_site(key, idx, col, lambda v: v * 1000, "figure 1,000x out of scale")
    elif kind == "changed_comparative":
        for key, idx, col, _row in _row_sites(
            data, roles=("item",), statements_only=True, columns=(1,), accept=lambda r, v: v != 0
        ):
            if _specs(data)[key].get("columns"):
                continue  # SOCE: no comparative column
            cell_site(key, idx, col, lambda v: v + _delta(v), "comparative changed")
    elif kind == "negative_value":
        for key, idx, col, _row in _row_sites(
            data,
            roles=("item", "subtotal", "total"),
            need_total=False,
            columns=(0,),
            accept=lambda r, v: v > 0 and bool(_NON_NEGATIVE.match(_clean(r.get("l", "")))),
        ):
            cell_site(key, idx, col, lambda v: -v, "non-negative line printed negative")
    elif kind == "broken_tie":
        for n, tie in enumerate(data.get("ties", [])):
            out.append((f"tie{n}", _tie_mutation(tie)))
    elif kind in ("narrative_amount", "false_percentage", "inconsistent_rate"):
        out.extend(_sentence_sites(data, kind))
    elif kind == "inconsistent_date":
        end = date.fromisoformat(data["reporting_date"])
        for path, block in _paragraphs(data):
            tags = set(block.get("tags", []))
            if not tags & {"authorisation", "subsequent_event"}:
                continue
            text = _clean(block["p"])
            for m in _DATE.finditer(text):
                found = date(int(m.group(3)), _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
                if found > end:
                    out.append(
                        (f"{path}@{m.start()}", _date_mutation(path, m.start(), m.end(), end))
                    )
    elif kind == "going_concern_removed":
        if _loss_making(data) and any(
            "going_concern" in b.get("tags", []) for _, b in _paragraphs(data)
        ):
            out.append(("going_concern", _remove_going_concern))
    elif kind == "note_removed":
        for note in data.get("notes", []):
            if note.get("standard"):
                out.append((f"note:{note['number']}", _note_removal(str(note["number"]))))
    elif kind == "prior_year_mismatch" and prior is not None:
        for key, idx, other in _reclass_pairs(data, prior):
            out.append((f"{key}[{idx}]:1", _reclass_mutation(key, idx, other)))
    elif kind == "memo_event_omitted" and memo is not None:
        for item in memo.get("items", []):
            if item.get("event"):
                out.append((f"memo:{item['event']}", _memo_omission(item)))
    elif kind in ("wrong_fx_rate", "bad_lei", "bad_isin"):
        tag = {"wrong_fx_rate": "fx_rate", "bad_lei": "lei", "bad_isin": "isin"}[kind]
        for path, block in _paragraphs(data):
            if tag in block.get("tags", []):
                out.append((path, _identifier_mutation(kind, path)))
    return out


def _sentence_sites(data: Data, kind: str) -> list[tuple[str, Mutation]]:
    """Numbers in sentences that the tables could contradict, each a site for `kind`.

    Only fair sites count: an amount that restates some table figure, a stated change
    ("increased by 24%"), a tax rate that the tax notes compute. A number nothing in the report
    could contradict (a shareholding, a discount rate) would only measure luck."""
    figures = _table_figures(data)
    out: list[tuple[str, Mutation]] = []
    for path, block in _paragraphs(data):
        tags = set(block.get("tags", []))
        text = _clean(block["p"])
        if kind == "narrative_amount" and "narrative" in tags:
            found = [m for m in _MONEY.finditer(text) if _in_tables(m, figures)]
            change = _bump_number
        elif kind == "false_percentage" and "narrative" in tags and "rate" not in tags:
            found = [
                m
                for m in _CHANGE_PERCENT.finditer(text)
                if _CHANGE_VERB.search(text[max(0, m.start() - 45) : m.start()])
            ]
            change = _bump_percent
        elif kind == "inconsistent_rate" and tags & {"tax_rate", "effective_tax_rate"}:
            found = list(_PERCENT.finditer(text))
            change = _bump_percent
        else:
            continue
        for m in found:
            mutation = _text_mutation(kind, path, m.start(1), m.end(1), change)
            out.append((f"{path}@{m.start(1)}", mutation))
    return out


def _table_figures(data: Data) -> list[tuple[float, float]]:
    """Every printed table figure in currency units, with its half rounding unit."""
    scale = _SCALES[data.get("scale", "units")]
    out = []
    for _key, spec in _table_specs(data):
        for row in spec["rows"]:
            for value in row.get("v", []):
                if isinstance(value, int | float) and value:
                    out.append((abs(value) * scale, scale / 2))
    return out


def _in_tables(match: re.Match[str], figures: list[tuple[float, float]]) -> bool:
    """Whether a narrative amount restates some table figure (so a change to it is checkable)."""
    number = match.group(1)
    decimals = len(number.split(".")[1]) if "." in number else 0
    unit = _WORD_SCALES.get((match.group(2) or "").strip().lower(), 1.0)
    amount = float(number.replace(",", "")) * unit
    half = 0.5 * 10**-decimals * unit
    return any(abs(amount - value) <= max(half, tol) for value, tol in figures)


def _loss_making(data: Data) -> bool:
    for stmt in data.get("statements", []):
        if stmt["kind"] == "profit_or_loss":
            finals = [
                r
                for r in stmt["rows"]
                if r.get("r") == "total" and "v" in r and not r.get("decimals")
            ]
            return bool(finals) and (finals[0]["v"][0] or 0) < 0
    return False


def _find_row(spec: Data, label: str, occurrence: int = 0) -> int:
    hits = [i for i, r in enumerate(spec["rows"]) if _clean(r.get("l", "")) == label]
    return hits[occurrence]


def _tie_mutation(tie: Data) -> Mutation:
    def mutate(d: Data) -> Case:
        edit, other = tie["edit"], tie["with"]
        specs = _specs(d)
        idx = _find_row(specs[edit["table"]], edit["row"], int(edit.get("occurrence", 0)))
        value = specs[edit["table"]]["rows"][idx]["v"][edit["col"]] or 0
        case = _cell_case(
            d, "broken_tie", edit["table"], idx, edit["col"], value + _delta(value), "tie broken"
        )
        partner_row = specs[other["table"]]["rows"][_find_row(specs[other["table"]], other["row"])]
        partner = CellTarget(
            other["table"], other["row"], other["col"], _printed(partner_row, other["col"])
        )
        return Case(**{**case.__dict__, "cells": (*case.cells, partner)})

    return mutate


def _bump_number(text: str) -> str:
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = float(text.replace(",", ""))
    new = value * 1.12 if value >= 1 else value + 1
    if decimals:
        return f"{new:,.{decimals}f}" if "," in text else f"{new:.{decimals}f}"
    return f"{round(new):,}" if "," in text else f"{round(new)}"


def _bump_percent(text: str) -> str:
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = float(text)
    new = value + 4 if value < 60 else value - 9
    return f"{new:.{decimals}f}"


def _text_mutation(
    kind: str, path: str, start: int, end: int, change: Callable[[str], str]
) -> Mutation:
    def mutate(d: Data) -> Case:
        block = _paragraph(d, path)
        text = _clean(block["p"])
        new_number = change(text[start:end])
        new_text = text[:start] + new_number + text[end:]
        block["p"] = new_text
        window = new_text[max(0, start - 25) : end + 25]
        return Case(
            set_name=d["id"],
            kind=kind,
            agent=KINDS[kind],
            site=f"{path}@{start}",
            description=f"{path}: {text[start:end]!r} -> {new_number!r} in {window!r}",
            paragraphs=(new_text,),
        )

    return mutate


def _date_mutation(path: str, start: int, end: int, period_end: date) -> Mutation:
    def mutate(d: Data) -> Case:
        block = _paragraph(d, path)
        text = _clean(block["p"])
        wrong = period_end - timedelta(days=45)
        new_date = f"{wrong.day} {_MONTHS[wrong.month - 1]} {wrong.year}"
        new_text = text[:start] + new_date + text[end:]
        block["p"] = new_text
        return Case(
            set_name=d["id"],
            kind="inconsistent_date",
            agent=KINDS["inconsistent_date"],
            site=f"{path}@{start}",
            description=f"{path}: {text[start:end]!r} -> {new_date!r} (before the period end)",
            paragraphs=(new_text,),
        )

    return mutate


def _remove_going_concern(d: Data) -> Case:
    removed = 0
    for _path, block in list(_paragraphs(d)):
        if "going_concern" in block.get("tags", []):
            block["p"] = ""
            removed += 1
    _drop_empty_paragraphs(d)
    return Case(
        set_name=d["id"],
        kind="going_concern_removed",
        agent=KINDS["going_concern_removed"],
        site="going_concern",
        description=f"{removed} going-concern paragraph(s) removed from a loss-making entity",
        keywords=("going concern",),
    )


def _drop_empty_paragraphs(d: Data) -> None:
    d["front"] = [b for b in d.get("front", []) if not ("p" in b and not b["p"])]
    for stmt in d.get("statements", []):
        stmt["after"] = [b for b in stmt.get("after", []) if not ("p" in b and not b["p"])]
    for note in d.get("notes", []):
        note["blocks"] = [b for b in note.get("blocks", []) if not ("p" in b and not b["p"])]


def _note_removal(number: str) -> Mutation:
    def mutate(d: Data) -> Case:
        note = next(n for n in d["notes"] if str(n["number"]) == number)
        d["notes"] = [n for n in d["notes"] if str(n["number"]) != number]
        return Case(
            set_name=d["id"],
            kind="note_removed",
            agent=KINDS["note_removed"],
            site=f"note:{number}",
            description=f"note {number} ({note['title']}, {note['standard']}) removed",
            keywords=(str(note["standard"]),),
        )

    return mutate


def _reclass_pairs(data: Data, prior: Data) -> Iterator[tuple[str, int, int]]:
    """Comparative items that appear in the prior-year statements, each with a partner item of the
    same block to move the amount to (so the current document still foots)."""
    prior_labels: dict[str, set[str]] = {}
    for stmt in prior.get("statements", []):
        prior_labels[stmt["key"]] = {_clean(r.get("l", "")) for r in stmt["rows"] if "v" in r}
    for stmt in data.get("statements", []):
        if stmt.get("columns") or stmt["key"] not in prior_labels:
            continue
        rows = stmt["rows"]
        block: list[int] = []
        for idx, row in enumerate([*rows, {"r": "spacer"}]):
            role = row.get("r", "item")
            if role == "item" and "v" in row and not row.get("decimals"):
                block.append(idx)
                continue
            items = [i for i in block if (rows[i]["v"][1] or 0) != 0]
            for a, b in zip(items, items[1:], strict=False):
                if _clean(rows[a].get("l", "")) in prior_labels[stmt["key"]]:
                    yield stmt["key"], a, b
            block = []


def _reclass_mutation(key: str, idx: int, other: int) -> Mutation:
    def mutate(d: Data) -> Case:
        rows = _specs(d)[key]["rows"]
        value = rows[idx]["v"][1] or 0
        delta = _delta(value) if value > 0 else -_delta(value)
        case = _cell_case(
            d,
            "prior_year_mismatch",
            key,
            idx,
            1,
            value + delta,
            "comparative differs from the prior-year statements",
        )
        rows[other]["v"][1] = (rows[other]["v"][1] or 0) - delta
        partner = CellTarget(key, _clean(rows[other].get("l", "")), 1, _printed(rows[other], 1))
        return Case(**{**case.__dict__, "cells": (*case.cells, partner), "needs_prior": True})

    return mutate


def _memo_omission(item: Data) -> Mutation:
    tag = f"memo:{item['event']}"

    def mutate(d: Data) -> Case:
        removed = 0
        for _path, block in list(_paragraphs(d)):
            if tag in block.get("tags", []):
                block["p"] = ""
                removed += 1
        _drop_empty_paragraphs(d)
        if not removed:
            raise ValueError(f"{d['id']}: no paragraph tagged {tag}")
        return Case(
            set_name=d["id"],
            kind="memo_event_omitted",
            agent=KINDS["memo_event_omitted"],
            site=tag,
            description=f"{removed} paragraph(s) reflecting memo event {item['event']!r} removed",
            keywords=tuple(item.get("keywords", [])),
            needs_memos=True,
        )

    return mutate


def _identifier_mutation(kind: str, path: str) -> Mutation:
    def mutate(d: Data) -> Case:
        block = _paragraph(d, path)
        text = _clean(block["p"])
        if kind == "bad_lei":
            m = re.search(r"\b([0-9A-Z]{18})(\d{2})\b", text)
            if not m:
                raise ValueError(f"{path}: no LEI")
            check = int(m.group(2))
            new = f"{m.group(1)}{(check + 11) % 100:02d}"
            start, end = m.start(), m.end()
        elif kind == "bad_isin":
            m = re.search(r"\b([A-Z]{2}[A-Z0-9]{9})(\d)\b", text)
            if not m:
                raise ValueError(f"{path}: no ISIN")
            new = f"{m.group(1)}{(int(m.group(2)) + 3) % 10}"
            start, end = m.start(), m.end()
        else:
            m = re.search(r"\d+\.\d{3,}", text)
            if not m:
                raise ValueError(f"{path}: no exchange rate")
            rate = m.group(0)
            decimals = len(rate.split(".")[1])
            new = f"{float(rate) * 1.05:.{decimals}f}"
            start, end = m.start(), m.end()
        new_text = text[:start] + new + text[end:]
        block["p"] = new_text
        return Case(
            set_name=d["id"],
            kind=kind,
            agent=KINDS[kind],
            site=path,
            description=f"{path}: {text[start:end]!r} -> {new!r}",
            paragraphs=(new_text,),
            keywords=(new,),
        )

    return mutate


# ---------------------------------------------------------------------------------------------
# Planning and building cases


@dataclass(frozen=True)
class SampleSet:
    """A data set with its optional prior-year set and memo (YAML stems)."""

    name: str
    prior: str | None = None
    memo: str | None = None


SETS: tuple[SampleSet, ...] = (
    SampleSet("fanmilk-2024", prior="fanmilk-2023"),
    SampleSet("insig-2024", memo="insig-2024-board-minutes"),
    SampleSet("flowtraders-2024"),
)


def _load(sample: SampleSet) -> tuple[Data, Data | None, Data | None]:
    data = load_set(sample.name)
    prior = load_set(sample.prior) if sample.prior else None
    memo = load_set(sample.memo) if sample.memo else None
    return data, prior, memo


def plan(
    per_kind: int,
    *,
    seed: int = 20250101,
    sets: tuple[SampleSet, ...] = SETS,
    kinds: tuple[str, ...] | None = None,
) -> list[tuple[SampleSet, str, str]]:
    """Up to `per_kind` sites per (set, kind), sampled with a fixed seed: (set, kind, site id)."""
    chosen: list[tuple[SampleSet, str, str]] = []
    for sample in sets:
        data, prior, memo = _load(sample)
        for kind in kinds or tuple(KINDS):
            ids = [site for site, _ in sites(data, kind, prior, memo)]
            rng = random.Random(f"{seed}:{sample.name}:{kind}")
            picked = sorted(rng.sample(ids, min(per_kind, len(ids))), key=ids.index)
            chosen.extend((sample, kind, site) for site in picked)
    return chosen


def inject(sample: SampleSet, kind: str, site: str) -> tuple[Case, Data]:
    """Plant `kind` at `site` in a fresh copy of the set; returns ground truth and mutated data."""
    data, prior, memo = _load(sample)
    mutated = copy.deepcopy(data)
    table = dict(sites(mutated, kind, prior, memo))
    if site not in table:
        raise KeyError(f"{sample.name}: no {kind} site {site!r}")
    case = table[site](mutated)
    return case, mutated


def build_case(sample: SampleSet, kind: str, site: str) -> Built:
    """Inject and render the mutated report. The companions (prior year, memos) always come along,
    unchanged, so the case differs from the clean baseline in exactly one place."""
    case, mutated = inject(sample, kind, site)
    return Built(
        case=case,
        document=build_docx(mutated),
        filename=f"{sample.name}.docx",
        prior_year=_prior(sample),
        memos=_memos(sample),
    )


@functools.lru_cache(maxsize=8)
def _prior(sample: SampleSet) -> tuple[str, bytes] | None:
    if not sample.prior:
        return None
    return f"{sample.prior}.docx", build_docx(load_set(sample.prior))


def _memos(sample: SampleSet) -> list[tuple[str, bytes]]:
    return list(_memo_files(sample))


@functools.lru_cache(maxsize=8)
def _memo_files(sample: SampleSet) -> tuple[tuple[str, bytes], ...]:
    if not sample.memo:
        return ()
    return ((f"{sample.memo}.docx", build_memo(load_set(sample.memo))),)


_REMOVALS = ("note_removed", "going_concern_removed", "memo_event_omitted")


def _anchors(data: Data, kind: str, site: str) -> set[str]:
    """What a site touches (tables, paragraphs, notes), so planted errors never overlap."""
    if kind == "broken_tie":
        tie = data["ties"][int(site[3:])]
        return {tie["edit"]["table"], tie["with"]["table"]}
    if kind == "going_concern_removed":
        return {path for path, b in _paragraphs(data) if "going_concern" in b.get("tags", [])}
    if kind == "memo_event_omitted":
        tag = site
        return {path for path, b in _paragraphs(data) if tag in b.get("tags", [])}
    if kind == "note_removed":
        return {site}
    base = site.split("@")[0]
    if "[" in base:
        base = base.split("[")[0]
    return {base}


def _note_of(anchor: str) -> str:
    return anchor.split("/")[0].split("#")[0]


def plant_many(
    sample: SampleSet, kinds: tuple[str, ...], *, seed: int = 7
) -> tuple[list[Case], Data]:
    """Plant one error of each kind at non-overlapping sites (a demo document, not a benchmark).

    Removals go last so the paragraph and row addresses of the earlier edits stay valid."""
    data, prior, memo = _load(sample)
    mutated = copy.deepcopy(data)
    used: set[str] = set()
    chosen: list[tuple[str, str]] = []
    available = {kind: [site for site, _ in sites(data, kind, prior, memo)] for kind in kinds}
    first = ("broken_tie", "changed_comparative", "prior_year_mismatch")  # need statement tables
    for kind in sorted(kinds, key=lambda k: (k not in first, len(available[k]))):
        ids = list(available[kind])
        random.Random(f"{seed}:{kind}").shuffle(ids)
        for site in ids:
            anchors = _anchors(data, kind, site)
            notes = {_note_of(a) for a in anchors}
            if anchors & used or notes & {_note_of(u) for u in used}:
                continue
            used |= anchors
            chosen.append((kind, site))
            break
    chosen.sort(key=lambda ks: ks[0] in _REMOVALS)
    cases = []
    for kind, site in chosen:
        cases.append(dict(sites(mutated, kind, prior, memo))[site](mutated))
    return cases, mutated


def clean_inputs(sample: SampleSet) -> Built:
    """The unmutated report with every companion document (the false-positive baseline)."""
    data, _prior_data, _memo = _load(sample)
    case = Case(sample.name, "clean", "", "clean", "no error planted")
    return Built(case, build_docx(data), f"{sample.name}.docx", _prior(sample), _memos(sample))


__all__ = [
    "KINDS",
    "SETS",
    "Built",
    "Case",
    "CellTarget",
    "SampleSet",
    "build_case",
    "clean_inputs",
    "inject",
    "plan",
    "plant_many",
    "sites",
]
