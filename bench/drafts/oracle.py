"""The expected classes of a draft pair, found without the matcher's subjects.

The oracle aligns the two parsed documents by position, the way a redline does: the blocks in
body order (a table by its row labels, a paragraph by its text), then the rows of each aligned
table, then the section headings. Unchanged runs align one to one; inside a changed run, blocks
of one type are paired in order when they are alike enough (paragraphs whose texts are at least
half alike, tables sharing at least half their labels); inserted and removed blocks align to
nothing. A finding of the earlier draft then "still occurs" when the later draft has a finding
of the same agent and check (requirement for disclosure, source for external) at the aligned
place: its first location's table cell, paragraph or section (and, for numeric, the same period).
That finding is its expected partner (`persisting`); an earlier finding with none is expected
`resolved`, a later one `new`.

The matcher never sees this alignment: it reads each document on its own. The two agree only
when identity by subject gives what an edit-aware redline gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypeVar

from server.ingest.document import Document, Paragraph, Table
from server.text.labels import normalise

T = TypeVar("T")
Finding = dict[str, Any]


@dataclass
class Alignment:
    """Earlier ids and places -> later ones."""

    tables: dict[str, str] = field(default_factory=dict)
    rows: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    paragraphs: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def _align(
    old: Sequence[T], new: Sequence[T], sig: Callable[[T], Hashable], alike: Callable[[T, T], float]
) -> list[tuple[int, int]]:
    """Index pairs: equal runs one to one, changed runs by a monotone best alignment."""
    out: list[tuple[int, int]] = []
    ops = SequenceMatcher(None, [sig(x) for x in old], [sig(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in ops.get_opcodes():
        if tag == "equal":
            out.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace":
            out.extend(_monotone(old, new, range(i1, i2), range(j1, j2), alike))
    return out


def _monotone(
    old: Sequence[T],
    new: Sequence[T],
    olds: range,
    news: range,
    alike: Callable[[T, T], float],
    threshold: float = 0.5,
) -> list[tuple[int, int]]:
    """The pairing that maximises total likeness without crossing (a small dynamic programme)."""
    n, m = len(olds), len(news)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = alike(old[olds[i]], new[news[j]])
            take = best[i + 1][j + 1] + s if s >= threshold else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out = []
    i = j = 0
    while i < n and j < m:
        s = alike(old[olds[i]], new[news[j]])
        if s >= threshold and best[i][j] == best[i + 1][j + 1] + s:
            out.append((olds[i], news[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _block_sig(block: Paragraph | Table) -> Hashable:
    if isinstance(block, Table):
        return ("T", tuple(normalise(r.label) for r in block.rows))
    return ("P", normalise(block.text))


def _block_alike(a: Paragraph | Table, b: Paragraph | Table) -> float:
    if isinstance(a, Table) and isinstance(b, Table):
        return _jaccard([normalise(r.label) for r in a.rows], [normalise(r.label) for r in b.rows])
    if isinstance(a, Paragraph) and isinstance(b, Paragraph):
        return _ratio(normalise(a.text), normalise(b.text))
    return 0.0


def align(before: Document, after: Document) -> Alignment:
    out = Alignment()
    for i, j in _align(before.blocks, after.blocks, _block_sig, _block_alike):
        a, b = before.blocks[i], after.blocks[j]
        if isinstance(a, Table) and isinstance(b, Table):
            out.tables[a.id] = b.id
        elif isinstance(a, Paragraph) and isinstance(b, Paragraph):
            out.paragraphs[a.id] = b.id
    # Rows are aligned over a table and its continuations as one: an inserted line can push
    # a row over the page break into the "(continued)" table.
    chains_a, chains_b = _chains(before), _chains(after)
    for root_a, rows_a in chains_a.items():
        root_b = out.tables.get(root_a)
        rows_b = chains_b.get(root_b or "")
        if not rows_b:
            continue
        labels_a = [label for _, _, label in rows_a]
        labels_b = [label for _, _, label in rows_b]
        for ri, rj in _align(labels_a, labels_b, lambda x: x, _ratio):
            out.rows[rows_a[ri][:2]] = rows_b[rj][:2]
    titles_a = [normalise(s.title) for s in before.sections]
    titles_b = [normalise(s.title) for s in after.sections]
    for i, j in _align(titles_a, titles_b, lambda x: x, _ratio):
        out.sections[before.sections[i].id] = after.sections[j].id
    return out


def _chains(document: Document) -> dict[str, list[tuple[str, int, str]]]:
    """Root table id -> (table id, row index, label) of the table and its continuations."""
    roots: dict[str, str] = {}
    chains: dict[str, list[tuple[str, int, str]]] = {}
    for table in document.tables:
        root = roots.get(table.continued_from or "", table.id)
        roots[table.id] = root
        chains.setdefault(root, []).extend(
            (table.id, r.index, normalise(r.label)) for r in table.rows
        )
    return chains


def place(finding: Finding, document_name: str, alignment: Alignment | None) -> Hashable:
    """Where a finding is and what it checks, in the later draft's coordinates."""
    agent = finding["agent"]
    if agent == "disclosure":
        return (agent, finding.get("requirement_id") or finding["requirement"])
    kind = finding.get("check") or finding.get("source")
    period = finding.get("period", "")
    locations = finding.get("locations") or [{}]
    loc = locations[0]
    if loc.get("document") and loc["document"] != document_name:
        return (agent, kind, period, "other", loc.get("quote"), str(loc.get("cells")))
    if loc.get("table"):
        cell = (loc.get("cells") or [{"row": -1, "column": -1}])[0]
        table, row = loc["table"], cell["row"]
        if alignment is not None:
            mapped = alignment.rows.get((table, row))
            if mapped is None:
                return (agent, kind, period, "gone", table, row)
            table, row = mapped
        return (agent, kind, period, "cell", table, row, cell["column"])
    if loc.get("paragraph"):
        paragraph = loc["paragraph"]
        if alignment is not None:
            paragraph = alignment.paragraphs.get(paragraph, f"gone:{paragraph}")
        return (agent, kind, period, "paragraph", paragraph)
    if loc.get("section"):
        section = loc["section"]
        if alignment is not None:
            section = alignment.sections.get(section, f"gone:{section}")
        return (agent, kind, period, "section", section)
    return (agent, kind, period, "nowhere")


@dataclass
class Expected:
    """Expected partners: earlier id -> later id; unpaired ones are resolved / new."""

    partners: dict[str, str]
    ambiguous: int  # places held by more than one finding on a side (paired in order)


def expect(
    before: Sequence[Finding],
    before_document: Document,
    after: Sequence[Finding],
    after_document: Document,
) -> Expected:
    alignment = align(before_document, after_document)
    slots: dict[Hashable, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for f in before:
        slots[place(f, before_document.name, alignment)][0].append(f["id"])
    for f in after:
        slots[place(f, after_document.name, None)][1].append(f["id"])
    partners: dict[str, str] = {}
    ambiguous = 0
    for olds, news in slots.values():
        ambiguous += len(olds) > 1 or len(news) > 1
        partners.update(zip(olds, news, strict=False))
    return Expected(partners=partners, ambiguous=ambiguous)


__all__ = ["Alignment", "Expected", "align", "expect", "place"]
