"""Finding identity across drafts: which findings of a new draft persist, which are new, and
which findings of the earlier draft are resolved.

Finding ids cannot carry identity across drafts: a numeric id hashes the table id and row index
("t5", row 12), so one inserted row or table gives every later finding a new id, and worse, an
old id can reappear on a different line. So findings are matched on what they are about, read
from each draft's own parsed document, and the id only decides whether a match is `exact`.

1. The subject of a finding. Each location is resolved in its draft's document:
   - a table cell becomes (table scope, row label, column period). The scope is the statement
     kind ("statement:financial_position"), else the title of the note the table sits in without
     its number ("note:inventories"), else the nearest section or the table's own title; labels,
     titles and periods are compared by `server.text.labels.match_key` / `title_key`, so table
     ids, row indices, note numbers and "(continued)" never count;
   - a paragraph becomes its quoted sentence, normalised, with numbers and month names masked
     ("on # <month> # the group acquired ..."), so a corrected or changed figure or date in the
     sentence keeps the subject;
   - a section becomes its title without its number; a location in another uploaded file (prior
     year, memo) keeps its quote and cells as given.
   What is checked completes the subject: agent and check for numeric and logic (and the numeric
   `period`), standard and requirement for disclosure, source (and the title, figures masked) for
   external. Figures never enter it (expected, actual, difference, status, severity, wording):
   the same subject with other figures is the same finding, `persisting`.
2. Pairing, in tiers, each on what the earlier tiers left, each one-to-one:
   - exact: the same id and the same full subject;
   - subject: the same full subject (every location, the table's own title, the external title);
   - subject: the same primary subject: agent, check, period and the first location only (the
     cell a numeric finding reports on, the sentence a claim is made in). This survives rows
     inserted among a total's components and a tie to a note that moved. When that cell's row
     has no label ("the unlabelled total in row 4"), at least half of the finding's cited cells
     must agree too, so two different unlabelled subtotals are never taken for one another;
   - subject: logic and external findings on a sentence, in sections of the same title, whose
     masked sentences are at least 80% alike (a reworded claim).
   Inside a group of candidates with one key, pairs are taken by increasing cost (how many cited
   cells differ, plus how far apart the two findings sit relative to their documents), ties by
   input order: never two findings matched to one, and the same inputs give the same answer.
3. Current findings left unpaired are `new`; previous findings left unpaired are `resolved`.

A finding whose location cannot be resolved in its document (an unknown table or row) keeps
the raw reference as its subject, so it matches only the same reference.

Limits, all on the side of caution (a finding shown `new` and its predecessor `resolved`, never
a decision carried to another finding): a line renamed, a note retitled, a period header
reworded ("2024" to "31 December 2024"), or a table recognised as a statement in one draft but
not in the other changes the subject. Two findings with identical subjects (one check on two
lines printed with the same label in one table and period) are told apart by position only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from server.ingest.document import Document
from server.text.labels import match_key, normalise, title_key

FindingLike = BaseModel | Mapping[str, Any]
DocumentLike = Document | Mapping[str, Any]

SENTENCE_SIMILARITY = 0.8  # reworded claims: how alike two masked sentences must be
UNLABELLED_OVERLAP = 0.5  # unlabelled rows: the share of cited cells that must agree

_NUMBER = re.compile(r"[-+]?\d[\d,.]*\d|\d")
_MONTH = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
)
_SPACES = re.compile(r"\s+")


class DraftStatus(StrEnum):
    NEW = "new"
    PERSISTING = "persisting"
    RESOLVED = "resolved"


class MatchBasis(StrEnum):
    EXACT = "exact"  # the same id and the same subject: nothing about the finding moved
    SUBJECT = "subject"  # the same subject under another id (the document moved around it)


@dataclass(frozen=True, slots=True)
class Classified:
    """One finding of the current draft: `new`, or `persisting` from `previous_id`."""

    finding_id: str
    status: DraftStatus
    previous_id: str | None = None
    basis: MatchBasis | None = None


@dataclass(frozen=True, slots=True)
class DraftComparison:
    """Every current finding classed (input order), and the previous ids that are resolved."""

    current: tuple[Classified, ...]
    resolved: tuple[str, ...]

    @property
    def persisting(self) -> dict[str, str]:
        """Current id -> the previous id it continues."""
        return {c.finding_id: c.previous_id for c in self.current if c.previous_id is not None}

    def status(self, finding_id: str) -> DraftStatus:
        """The class of a current finding, or `resolved` for a previous one."""
        for c in self.current:
            if c.finding_id == finding_id:
                return c.status
        if finding_id in self.resolved:
            return DraftStatus.RESOLVED
        raise KeyError(f"{finding_id!r} is in neither draft of this comparison.")

    def counts(self) -> dict[str, int]:
        new = sum(c.status is DraftStatus.NEW for c in self.current)
        return {
            "new": new,
            "persisting": len(self.current) - new,
            "resolved": len(self.resolved),
            "exact": sum(c.basis is MatchBasis.EXACT for c in self.current),
        }


def match(
    previous: Sequence[FindingLike],
    previous_document: DocumentLike,
    current: Sequence[FindingLike],
    current_document: DocumentLike,
) -> DraftComparison:
    """Class the findings of `current` against those of the earlier draft `previous`.

    Findings are generated result models or their JSON form; documents a `Document` or its
    JSON form (schema/v1/document.schema.json). Pure and deterministic."""
    before = _subjects(previous, _View.of(previous_document))
    after = _subjects(current, _View.of(current_document))
    pairs: dict[int, tuple[int, MatchBasis]] = {}  # current index -> (previous index, basis)
    taken: set[int] = set()
    for basis, key, accept in _TIERS:
        free_before = [s for s in before if s.index not in taken]
        free_after = [s for s in after if s.index not in pairs]
        for b, a in _pair(free_before, free_after, key, accept):
            pairs[a.index] = (b.index, basis)
            taken.add(b.index)
    classified = []
    for s in after:
        if s.index in pairs:
            i, basis = pairs[s.index]
            classified.append(Classified(s.id, DraftStatus.PERSISTING, before[i].id, basis))
        else:
            classified.append(Classified(s.id, DraftStatus.NEW))
    resolved = tuple(s.id for s in before if s.index not in taken)
    return DraftComparison(current=tuple(classified), resolved=resolved)


# ---------------------------------------------------------------------------------------------
# The document, as far as subjects need it

Anchor = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _TableView:
    scope: str
    title: str
    labels: tuple[str, ...]  # match_key of each row's label
    periods: dict[int, str]  # column index -> match_key of its period (or header)
    position: float  # the table's place in the document, 0..1


@dataclass(frozen=True, slots=True)
class _ParagraphView:
    text: str
    section: str  # title_key of its section
    position: float


@dataclass(frozen=True, slots=True)
class _View:
    name: str
    tables: dict[str, _TableView]
    paragraphs: dict[str, _ParagraphView]
    sections: dict[str, str]  # id -> title_key

    @classmethod
    def of(cls, document: DocumentLike) -> _View:
        doc = document.to_json() if isinstance(document, Document) else document
        sections = {s["id"]: s for s in doc.get("sections", [])}
        blocks = doc.get("blocks", [])
        count = max(len(blocks), 1)
        tables: dict[str, _TableView] = {}
        paragraphs: dict[str, _ParagraphView] = {}
        for i, block in enumerate(blocks):
            if block.get("block") == "table":
                tables[block["id"]] = _TableView(
                    scope=_scope(block, sections),
                    title=title_key(block.get("title") or ""),
                    labels=tuple(match_key(r.get("label", "")) for r in block.get("rows", [])),
                    periods={
                        c["index"]: match_key(c.get("period") or c.get("header") or "")
                        for c in block.get("columns", [])
                    },
                    position=i / count,
                )
            else:
                section = sections.get(block.get("section_id") or "")
                paragraphs[block["id"]] = _ParagraphView(
                    text=block.get("text", ""),
                    section=title_key(section["title"]) if section else "",
                    position=i / count,
                )
        return cls(
            name=doc.get("name", ""),
            tables=tables,
            paragraphs=paragraphs,
            sections={k: title_key(s.get("title", "")) for k, s in sections.items()},
        )


def _scope(table: Mapping[str, Any], sections: Mapping[str, Mapping[str, Any]]) -> str:
    """What a table is: a primary statement, a note (by title), or a titled table elsewhere."""
    if table.get("statement"):
        return f"statement:{table['statement']}"
    section = sections.get(table.get("section_id") or "")
    nearest = section
    while section is not None and not section.get("note_number"):
        section = sections.get(section.get("parent_id") or "")
    if section is None and table.get("note_number"):
        number = table["note_number"]
        section = next((s for s in sections.values() if s.get("note_number") == number), None)
    if section is not None:
        return f"note:{title_key(section['title'])}"
    if nearest is not None:
        return f"section:{title_key(nearest['title'])}"
    return f"table:{title_key(table.get('title') or '')}"


def mask(sentence: str) -> str:
    """A sentence as a subject: normalised, with numbers and month names masked."""
    text = _MONTH.sub("<m>", _NUMBER.sub("#", normalise(sentence)))
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Subjects


@dataclass(slots=True)
class _Subject:
    index: int
    id: str
    agent: str
    kind: str
    period: str = ""
    detail: str = ""  # external: the title with figures masked
    anchors: tuple[Anchor, ...] = ()  # every location, full form
    primary: Anchor | None = None  # the first location, short form
    unlabelled: bool = False  # the primary cell's row has no label
    section: str = ""  # sentence findings: the section title of the sentence
    sentence: str = ""  # sentence findings: the masked sentence
    position: tuple[float, float] = (0.0, 0.0)
    cells: frozenset[Anchor] = field(default_factory=frozenset)


def _subjects(findings: Sequence[FindingLike], view: _View) -> list[_Subject]:
    return [_subject(i, _plain(f), view) for i, f in enumerate(findings)]


def _plain(finding: FindingLike) -> Mapping[str, Any]:
    if isinstance(finding, BaseModel):
        dumped: dict[str, Any] = finding.model_dump(mode="json", exclude_unset=True)
        return dumped
    return finding


def _subject(index: int, f: Mapping[str, Any], view: _View) -> _Subject:
    agent = str(f.get("agent", ""))
    s = _Subject(index=index, id=str(f["id"]), agent=agent, kind=_kind(agent, f))
    if agent == "disclosure":
        return s  # a requirement is its own subject; where the agent pointed may move
    if agent == "numeric":
        s.period = match_key(str(f.get("period", "")))
    if agent == "external":
        s.detail = mask(str(f.get("title", "")))
    full: list[Anchor] = []
    for n, loc in enumerate(f.get("locations", [])):
        anchors = _resolve(loc, view, s, first=n == 0)
        full.extend(anchors)
    s.anchors = tuple(full)
    s.cells = frozenset(a for a in full if a[0] == "cell")
    return s


def _kind(agent: str, f: Mapping[str, Any]) -> str:
    if agent in ("numeric", "logic"):
        return str(f.get("check", ""))
    if agent == "disclosure":
        requirement = f.get("requirement_id") or normalise(str(f.get("requirement", "")))
        return f"{f.get('standard', '')}|{requirement}"
    if agent == "external":
        return str(f.get("source", ""))
    return ""


def _resolve(loc: Mapping[str, Any], view: _View, s: _Subject, *, first: bool) -> list[Anchor]:
    """The anchors of one location; the first location also sets the primary subject."""
    anchor: Anchor
    document = loc.get("document")
    if document and document != view.name:  # another uploaded file: keep what it says
        cells = tuple(f"{c['row']}:{c['column']}" for c in loc.get("cells", []))
        quote = mask(loc.get("quote", ""))
        anchor = ("other", title_key(loc.get("table_title", "")), quote, *cells)
    elif loc.get("table"):
        return _cell_anchors(loc, view, s, first=first)
    elif loc.get("paragraph"):
        paragraph = view.paragraphs.get(loc["paragraph"])
        sentence = mask(loc.get("quote") or (paragraph.text if paragraph else ""))
        if paragraph is None and not loc.get("quote"):
            anchor = ("unresolved", "paragraph", str(loc["paragraph"]))
        else:
            anchor = ("sentence", sentence)
        if first:
            s.sentence = sentence
            section = view.sections.get(loc.get("section") or "", "")
            s.section = paragraph.section if paragraph else section
            s.position = (paragraph.position if paragraph else 0.0, 0.0)
    elif loc.get("section"):
        anchor = ("section", view.sections.get(loc["section"], loc["section"]))
    else:
        return []
    if first:
        s.primary = anchor
    return [anchor]


def _cell_anchors(loc: Mapping[str, Any], view: _View, s: _Subject, *, first: bool) -> list[Anchor]:
    table_id = str(loc["table"])
    table = view.tables.get(table_id)
    cells = loc.get("cells") or [{"row": -1, "column": -1}]
    out: list[Anchor] = []
    for n, cell in enumerate(cells):
        row, column = int(cell["row"]), int(cell["column"])
        if table is None or not 0 <= row < len(table.labels):
            anchor: Anchor = ("unresolved", "table", table_id, str(row), str(column))
            primary = anchor
            label = "?"
        else:
            label = table.labels[row]
            period = table.periods.get(column, "")
            anchor = ("cell", table.scope, table.title, label, period)
            primary = ("cell", table.scope, label, period)
        out.append(anchor)
        if first and n == 0:
            s.primary = primary
            s.unlabelled = label == ""
            if table is not None:
                s.position = (table.position, row / max(len(table.labels), 1))
    return out


# ---------------------------------------------------------------------------------------------
# Pairing

Key = Callable[[_Subject], Hashable | None]
Accept = Callable[[_Subject, _Subject], float | None]  # cost of a pair, or None: not a match


def _strict(s: _Subject) -> Hashable:
    return (s.agent, s.kind, s.period, s.detail, s.anchors)


def _exact(s: _Subject) -> Hashable:
    return (s.id, _strict(s))


def _primary(s: _Subject) -> Hashable | None:
    if s.agent == "disclosure":
        return None  # fully matched by its subject already
    return (s.agent, s.kind, s.period, s.primary)


def _sentence_group(s: _Subject) -> Hashable | None:
    if s.agent not in ("logic", "external") or not s.sentence:
        return None
    return (s.agent, s.kind, s.section)


def _position_cost(b: _Subject, a: _Subject) -> float:
    return abs(b.position[0] - a.position[0]) + abs(b.position[1] - a.position[1]) / 2


def _cells_apart(b: _Subject, a: _Subject) -> float:
    """1 - the share of cited cells the two findings have in common (0 when neither cites)."""
    union = b.cells | a.cells
    return 1.0 - len(b.cells & a.cells) / len(union) if union else 0.0


def _any(b: _Subject, a: _Subject) -> float | None:
    return _cells_apart(b, a) + _position_cost(b, a)


def _same_primary(b: _Subject, a: _Subject) -> float | None:
    apart = _cells_apart(b, a)
    if (b.unlabelled or a.unlabelled) and 1.0 - apart < UNLABELLED_OVERLAP:
        return None
    return apart + _position_cost(b, a)


def _alike_sentences(b: _Subject, a: _Subject) -> float | None:
    ratio = SequenceMatcher(None, b.sentence, a.sentence, autojunk=False).ratio()
    if ratio < SENTENCE_SIMILARITY:
        return None
    return (1.0 - ratio) + _position_cost(b, a)


_TIERS: tuple[tuple[MatchBasis, Key, Accept], ...] = (
    (MatchBasis.EXACT, _exact, _any),
    (MatchBasis.SUBJECT, _strict, _any),
    (MatchBasis.SUBJECT, _primary, _same_primary),
    (MatchBasis.SUBJECT, _sentence_group, _alike_sentences),
)


def _pair(
    before: Iterable[_Subject], after: Iterable[_Subject], key: Key, accept: Accept
) -> list[tuple[_Subject, _Subject]]:
    """One-to-one pairs of equal key, cheapest first, ties by input order."""
    groups: dict[Hashable, tuple[list[_Subject], list[_Subject]]] = defaultdict(lambda: ([], []))
    for s in before:
        k = key(s)
        if k is not None:
            groups[k][0].append(s)
    for s in after:
        k = key(s)
        if k is not None and k in groups:
            groups[k][1].append(s)
    out: list[tuple[_Subject, _Subject]] = []
    for olds, news in groups.values():
        if not news:
            continue
        candidates = []
        for b in olds:
            for a in news:
                cost = accept(b, a)
                if cost is not None:
                    candidates.append((cost, b.index, a.index, b, a))
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        used_b: set[int] = set()
        used_a: set[int] = set()
        for _cost, bi, ai, b, a in candidates:
            if bi in used_b or ai in used_a:
                continue
            used_b.add(bi)
            used_a.add(ai)
            out.append((b, a))
    return out


__all__ = [
    "Classified",
    "DraftComparison",
    "DraftStatus",
    "MatchBasis",
    "match",
]
