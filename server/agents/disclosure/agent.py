"""The disclosure agent: does the document give the disclosures its framework requires of it?

It first takes the checklist the document's framework and period call for (read with the
document, server/ingest/scope.py): IFRS annual, IAS 34 interim, US GAAP annual or ASC 270
interim. A document that does not say which framework it follows, or whether it is annual or
interim, gets no checklist, and the summary says so: an IFRS checklist on a US filing (or an
annual one on condensed interim statements) reports dozens of "missing" disclosures that were
never required. Then it decides which standards apply (always, or triggered by a line item, phrase or note title in
the document), then looks for each applicable checklist requirement's evidence in normalised text
(`server.text.labels.normalise`), so wording and spelling differences between preparers do not produce
false "missing" findings. A requirement whose evidence is present but lacks one of its parts
(a property, plant and equipment note without the reconciliation) is "incomplete".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from generated.models import (
    CellRef,
    DisclosureFinding,
    DisclosureResult,
    DisclosureStatus,
    DisclosureSummary,
    Location,
    Severity,
    StandardConsidered,
)
from server import severity
from server.agents.base import AuditInputs, Progress, finding_id
from server.agents.disclosure.checklist import (
    CHECKLISTS,
    Checklist,
    Matcher,
    Requirement,
    for_scope,
    load_checklist,
)
from server.agents.logic.base import period_columns
from server.agents.logic.scope import reporting_scope
from server.ingest.document import ColumnRole, Document, Paragraph, Section, Table
from server.ingest.scope import Scope, describe
from server.text.labels import normalise, normalise_label
from server.workers import offload

_SEP = "\n.\n"  # a line of its own: "^"/"$" see item edges, "[^.]" cannot cross items
_KIND_WORDS = {
    "phrase": "wording",
    "heading": "note title",
    "line_item": "line item",
    "column": "column",
    "statement": "statement",
    "fact": "fact",
}


@dataclass(slots=True)
class Item:
    """One piece of searchable text: normalised, with where it sits and the titles around it."""

    text: str
    raw: str
    location: Location
    scope: str  # normalised titles of the enclosing table, section and parent sections


@dataclass(slots=True)
class Corpus:
    items: list[Item] = field(default_factory=list)
    joined: str = ""
    offsets: list[int] = field(default_factory=list)

    def seal(self) -> None:
        parts, pos = [], 0
        for item in self.items:
            self.offsets.append(pos)
            parts.append(item.text)
            pos += len(item.text) + len(_SEP)
        self.joined = _SEP.join(parts)

    def item_at(self, offset: int) -> Item:
        return self.items[bisect.bisect_right(self.offsets, offset) - 1]


@dataclass(frozen=True, slots=True)
class Hit:
    matcher: Matcher
    raw: str
    location: Location | None

    def describe(self) -> str:
        if self.matcher.kind in ("statement", "fact"):
            return f"{_KIND_WORDS[self.matcher.kind]} '{self.raw}'"
        return f"{_KIND_WORDS[self.matcher.kind]} '{_clip(self.raw)}'"


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class DocIndex:
    """The document as four searchable corpora plus the facts the reader established."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.corpora: dict[str, Corpus] = {
            k: Corpus() for k in ("phrase", "heading", "line_item", "column")
        }
        sections = {s.id: s for s in document.sections}
        for s in document.sections:
            item = Item(
                normalise(s.title), s.title, Location(section=s.id), self._scope(s, sections)
            )
            self.corpora["heading"].items.append(item)
            self.corpora["phrase"].items.append(item)
        for h in document.page_headers:
            self.corpora["phrase"].items.append(Item(normalise(h), h, Location(quote=h), ""))
        for block in document.blocks:
            if isinstance(block, Paragraph):
                scope = self._scope(sections.get(block.section_id or ""), sections)
                loc = Location(paragraph=block.id, quote=_clip(block.text, 300))
                self.corpora["phrase"].items.append(
                    Item(normalise(block.text), block.text, loc, scope)
                )
            else:
                self._table(block, sections)
        for corpus in self.corpora.values():
            corpus.seal()
        self.statements = {t.statement.value for t in document.tables if t.statement} | {
            s.statement.value for s in document.sections if s.statement
        }
        self.facts = self._facts()

    def _scope(self, section: Section | None, sections: dict[str, Section]) -> str:
        titles: list[str] = []
        seen: set[str] = set()
        while section is not None and section.id not in seen:
            seen.add(section.id)
            titles.append(normalise(section.title))
            section = sections.get(section.parent_id or "")
        return " | ".join(titles)

    def _table(self, table: Table, sections: dict[str, Section]) -> None:
        title = normalise(table.title or "")
        tag = f"statement:{table.statement.value}" if table.statement else ""
        scope = " | ".join(
            x
            for x in (tag, title, self._scope(sections.get(table.section_id or ""), sections))
            if x
        )
        base = Location(table=table.id)
        if table.title:
            base = Location(table=table.id, table_title=table.title)
            item = Item(title, table.title, base, scope)
            self.corpora["heading"].items.append(item)
            self.corpora["phrase"].items.append(item)
        label_col = table.label_column()
        for row in table.rows:
            if not row.label.strip():
                continue
            loc = Location(table=table.id, cells=[CellRef(row=row.index, column=label_col)])
            item = Item(normalise_label(row.label), row.label, loc, scope)
            self.corpora["line_item"].items.append(item)
            self.corpora["phrase"].items.append(item)
        for col in table.columns:
            if col.header.strip():
                item = Item(normalise(col.header), col.header, base, scope)
                self.corpora["column"].items.append(item)
                self.corpora["phrase"].items.append(item)

    def _facts(self) -> dict[str, str]:
        doc = self.document
        facts: dict[str, str] = {}
        if doc.entity_name:
            facts["entity_name"] = doc.entity_name
        if doc.reporting_date:
            facts["reporting_date"] = doc.reporting_date
        for t in doc.tables:
            if t.statement and len(period_columns(t)) >= 2:
                facts["comparatives"] = (
                    f"{t.title or t.id}: {', '.join(map(str, sorted(period_columns(t), reverse=True)))}"
                )
                break
        scaled = next((t for t in doc.tables if t.scale != 1), None)
        if scaled:
            facts["scale"] = f"amounts in {scaled.scale_label}"
        for t in doc.tables:
            if t.statement and (
                any(c.role is ColumnRole.NOTE for c in t.columns) or any(r.note for r in t.rows)
            ):
                facts["note_references"] = f"note column in {t.title or t.id}"
                break
        return facts

    def find(self, m: Matcher) -> Hit | None:
        if m.kind == "statement":
            return Hit(m, m.value.replace("_", " "), None) if m.value in self.statements else None
        if m.kind == "fact":
            return Hit(m, self.facts[m.value], None) if m.value in self.facts else None
        assert m.pattern is not None
        corpus = self.corpora[m.kind]
        if m.within is None:
            found = m.pattern.search(corpus.joined)
            if not found:
                return None
            item = corpus.item_at(found.start())
            return Hit(m, item.raw, item.location)
        for item in corpus.items:
            if m.within.search(item.scope) and m.pattern.search(item.text):
                return Hit(m, item.raw, item.location)
        return None

    def first(self, matchers: tuple[Matcher, ...]) -> Hit | None:
        for m in matchers:
            hit = self.find(m)
            if hit:
                return hit
        return None


def audit(
    document: Document, checklist: Checklist | None = None, progress: Progress | None = None
) -> DisclosureResult:
    """Check every applicable requirement of the document's checklist (or the one given)."""
    scope, wire = reporting_scope(document)
    if checklist is None:
        checklist = for_scope(
            scope.framework.value if scope.framework else None,
            scope.period.value if scope.period else None,
        )
        chosen_because = _why(scope, checklist)
        if checklist is not None and not _has_statements(document):
            checklist, chosen_because = (
                None,
                (
                    f"none: the document presents {describe(scope)}, but no primary financial "
                    "statement was found in it (incorporated by reference from another document, or "
                    "not readable as tables), so what its notes lack cannot be judged"
                ),
            )
    else:
        chosen_because = f"{checklist.title}: the checklist asked for"
    if checklist is None:
        return DisclosureResult(
            agent="disclosure",
            summary=DisclosureSummary(
                standards=[],
                requirements_checked=0,
                present=0,
                missing=0,
                incomplete=0,
                scope=wire,
                checklist="none",
                checklist_reason=chosen_because,
            ),
            findings=[],
        )
    index = DocIndex(document)
    findings: list[DisclosureFinding] = []
    considered: list[StandardConsidered] = []
    totals = {"checked": 0, "present": 0, "missing": 0, "incomplete": 0}
    for done, standard in enumerate(checklist.standards):
        if progress:
            progress(done, len(checklist.standards), standard.name)
        if standard.applies_when is None:
            applies, reason, trigger = (
                True,
                f"applies to every set of {checklist.title} financial statements",
                None,
            )
        else:
            trigger = index.first(standard.applies_when)
            applies = trigger is not None
            reason = (
                f"triggered by {trigger.describe()}"
                if trigger
                else "not triggered: no "
                + ", ".join(sorted({_KIND_WORDS[m.kind] for m in standard.applies_when}))
                + " for it"
            )
        if not applies:
            considered.append(
                StandardConsidered(standard=standard.name, applies=False, reason=reason)
            )
            continue
        counts = {"requirements": 0, "present": 0, "missing": 0}
        for req in (r for r in checklist.requirements if r.standard == standard.name):
            finding = _check(index, req, trigger)
            if finding is _NOT_APPLICABLE:
                continue
            counts["requirements"] += 1
            totals["checked"] += 1
            if finding is None:
                counts["present"] += 1
                totals["present"] += 1
                continue
            assert isinstance(finding, DisclosureFinding)
            findings.append(finding)
            if finding.status is DisclosureStatus.missing:
                counts["missing"] += 1
                totals["missing"] += 1
            else:
                totals["incomplete"] += 1
        considered.append(
            StandardConsidered(
                standard=standard.name,
                applies=True,
                reason=reason,
                requirements=counts["requirements"],
                present=counts["present"],
                missing=counts["missing"],
            )
        )
    if progress:
        progress(len(checklist.standards), len(checklist.standards), "done")
    findings.sort(key=lambda f: (severity.rank(f.severity), f.standard, f.reference))
    return DisclosureResult(
        agent="disclosure",
        summary=DisclosureSummary(
            standards=considered,
            requirements_checked=totals["checked"],
            present=totals["present"],
            missing=totals["missing"],
            incomplete=totals["incomplete"],
            scope=wire,
            checklist=checklist.title,
            checklist_reason=chosen_because,
        ),
        findings=findings,
    )


def _has_statements(document: Document) -> bool:
    """At least one primary statement was recognised (by its table or its heading)."""
    return any(t.statement for t in document.tables) or any(s.statement for s in document.sections)


def _why(scope: Scope, checklist: Checklist | None) -> str:
    """Why this checklist, or why none, in words."""
    if checklist is not None:
        return f"{checklist.title}: the document presents {describe(scope)}"
    if scope.framework is None:
        return (
            "none: the document does not state its accounting framework (IFRS or US GAAP), so no "
            "framework's disclosure checklist applies; nothing is assumed"
        )
    return (
        f"none: the document does not say whether its {describe(scope).split(',')[0]} statements "
        "are annual or interim; nothing is assumed"
    )


_NOT_APPLICABLE = object()


def _check(
    index: DocIndex, req: Requirement, standard_trigger: Hit | None
) -> DisclosureFinding | None | object:
    """None when present; a finding when missing or incomplete; _NOT_APPLICABLE when not triggered."""
    trigger = standard_trigger
    if req.applies_when is not None:
        trigger = index.first(req.applies_when)
        if trigger is None:
            return _NOT_APPLICABLE
    why = f" It applies because of the {trigger.describe()}." if trigger else ""
    evidence = index.first(req.evidence)
    if evidence is None:
        looked = "; ".join(f"{_KIND_WORDS[m.kind]} /{m.value}/" for m in req.evidence[:3])
        return DisclosureFinding(
            id=finding_id("disclosure", req.id, "missing"),
            agent="disclosure",
            severity=Severity(req.severity),
            title=f"{req.reference}: disclosure not found"[:200],
            description=f"{req.requirement}{why} Nothing in the document matched ({looked}).",
            reference=req.reference,
            locations=[trigger.location] if trigger and trigger.location else [],
            standard=req.standard,
            requirement=req.requirement,
            requirement_id=req.id,
            status=DisclosureStatus.missing,
        )
    absent = [p.name for p in req.parts if index.first(p.any) is None]
    if not absent:
        return None
    return DisclosureFinding(
        id=finding_id("disclosure", req.id, "incomplete"),
        agent="disclosure",
        severity=severity.lower(req.severity),
        title=f"{req.reference}: disclosure incomplete"[:200],
        description=(
            f"{req.requirement} The document has it in part ({evidence.describe()}) but lacks: "
            f"{'; '.join(absent)}."
        ),
        reference=req.reference,
        locations=[evidence.location] if evidence.location else [],
        standard=req.standard,
        requirement=req.requirement,
        requirement_id=req.id,
        status=DisclosureStatus.incomplete,
    )


def warm_up() -> None:
    """Load and validate every checklist now rather than inside the first audit."""
    for file in CHECKLISTS.values():
        load_checklist(file)


async def run(inputs: AuditInputs, progress: Progress | None = None) -> DisclosureResult:
    return await offload(audit, inputs.document, progress=progress)
