"""Draft pairs built from the bundled samples, read and audited like an upload.

Each sample set (Fan Milk with its prior year, Insig with its board minutes, Flow Traders) gives
the draft with its planted errors (bench.quality.inject.plant_many, as the bundled
*-planted samples) and, as the next draft:

- `corrected`: the clean statements (every planted error corrected);
- `introduced`: the same edit backwards: the clean draft first, then the planted one (every
  finding of a planted error must be `new`, never carried from a clean finding);
- `inserted`: a note and a paragraph inserted, and a nil line inserted above every planted row
  and near the top of every statement (no planted error changed);
- `removed`: the same edit backwards: the `inserted` draft is the earlier one, and the next
  draft removes the note, the paragraph and the lines again;
- `renumbered`: a table inserted before the statements (every table id moves) and a new note 1
  with every note renumbered (no planted error changed);
- `changed`: every planted figure or sentence value changed to another wrong value;
- `reworked`: all at once, as a real next draft: the planted errors corrected, lines inserted
  near the top of every statement, a note and a paragraph inserted, a table inserted before the
  statements and every note renumbered.

Both drafts of a pair are read with `server.ingest.reader.read_document` under different file
names, with the set's prior year and memos (the same for both drafts), and audited by the four
agents of `server.agents.registry.default_agents()`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.drafts import edits
from bench.quality.inject import SETS, Case, SampleSet, _memo_files, _prior, plant_many
from bench.samples.build import Data, build_docx, load_set
from server.agents.base import AuditInputs
from server.agents.registry import default_agents
from server.ingest.document import Document
from server.ingest.reader import read_document

Finding = dict[str, Any]
PAIRS = ("corrected", "introduced", "inserted", "removed", "renumbered", "changed", "reworked")
_BACKWARDS = {"introduced": "corrected", "removed": "inserted"}  # the same edit, undone


@dataclass(frozen=True)
class Draft:
    name: str  # the file name it is read under
    document: Document
    findings: list[Finding]


@dataclass(frozen=True)
class Pair:
    set_name: str
    kind: str  # one of PAIRS
    previous: Draft
    current: Draft
    planted: tuple[Case, ...]  # the errors planted in the previous draft


@functools.lru_cache(maxsize=8)
def planted(sample: SampleSet) -> tuple[tuple[Case, ...], Data]:
    """The planted draft's data and ground truth, as the bundled *-planted sample is made."""
    from bench.quality.inject import KINDS

    cases, data = plant_many(sample, tuple(KINDS))
    return tuple(cases), data


def next_draft(sample: SampleSet, kind: str) -> Data:
    """The data of the next draft of `kind` after the planted draft."""
    cases, data = planted(sample)
    if kind == "corrected":
        return load_set(sample.name)
    if kind in _BACKWARDS:
        return data  # from the edited draft back to the planted one
    if kind == "inserted":
        return edits.insert_note(edits.insert_rows(data, edits.planted_rows(data, cases)))
    if kind == "renumbered":
        return edits.renumber_notes(edits.insert_front_table(data))
    if kind == "changed":
        return edits.change_planted(data, load_set(sample.name), cases)
    if kind == "reworked":
        clean = load_set(sample.name)
        clean = edits.insert_note(edits.insert_rows(clean, edits.planted_rows(clean, ())))
        return edits.renumber_notes(edits.insert_front_table(clean))
    raise ValueError(f"unknown pair {kind!r}; known: {', '.join(PAIRS)}")


@functools.lru_cache(maxsize=8)
def _companions(sample: SampleSet) -> tuple[Document | None, tuple[Document, ...]]:
    prior = _prior(sample)
    memos = _memo_files(sample)
    return (
        read_document(prior[1], prior[0]) if prior else None,
        tuple(read_document(data, name) for name, data in memos),
    )


def audit(sample: SampleSet, data: Data, name: str) -> Draft:
    """Render, read and audit one draft with the set's companions."""
    document = read_document(build_docx(data), name)
    prior, memos = _companions(sample)
    inputs = AuditInputs(document=document, prior_year=prior, memos=list(memos))

    async def run_all() -> list[Finding]:
        findings: list[Finding] = []
        for agent in default_agents().values():
            result = await agent(inputs, None)
            findings.extend(result.model_dump(mode="json")["findings"])
        return findings

    return Draft(name=name, document=document, findings=asyncio.run(run_all()))


def build_pairs(
    sets: tuple[SampleSet, ...] = SETS,
    kinds: tuple[str, ...] = PAIRS,
    on_draft: Callable[[str], None] = lambda _: None,
) -> list[Pair]:
    """Every pair of `kinds` for every set; the planted draft is audited once per set."""
    out = []
    for sample in sets:
        cases, data = planted(sample)
        on_draft(f"{sample.name} planted")
        previous = audit(sample, data, f"{sample.name}-draft1.docx")
        drafts: dict[str, Draft] = {}
        for kind in kinds:
            edited = _BACKWARDS.get(kind, kind)
            if edited not in drafts:
                on_draft(f"{sample.name} {edited}")
                data_next = next_draft(sample, edited)
                drafts[edited] = audit(sample, data_next, f"{sample.name}-draft2.docx")
            if kind in _BACKWARDS:
                out.append(Pair(sample.name, kind, drafts[edited], previous, cases))
            else:
                out.append(Pair(sample.name, kind, previous, drafts[edited], cases))
    return out


def sample_set(name: str) -> SampleSet:
    for sample in SETS:
        if sample.name == name:
            return sample
    raise KeyError(f"no sample set {name!r}; known: {', '.join(s.name for s in SETS)}")


__all__ = ["PAIRS", "Draft", "Pair", "audit", "build_pairs", "next_draft", "planted", "sample_set"]
