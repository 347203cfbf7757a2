"""Board memos and minutes as a source: the events they record must show in the report.

A memo paragraph is an *event* of a kind (litigation, a loan default or covenant breach, an
impairment, a related-party deal, an event after the reporting date, a going-concern doubt)
when one of its sentences says so without denying it ("no claims are pending" is not an
event). The event's *anchors* are what would identify it in the report: counterparty names,
amounts, dates after the reporting date, and its distinctive words.

The report reflects the event when one paragraph or table row (with the title of the note it
sits in) both speaks of that kind of event and shares two of its anchors (names, amounts within
printed precision, dates; or the only one it has). An event with no such trace is a finding
quoting the memo. An event the memo gives no name, amount or date for can only be confirmed
(by two distinctive words), never reported missing: its absence would prove nothing. The vocabulary is data (`data/memo_events.yaml`), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files

import yaml

from generated.models import Location, Severity
from server.agents.external.sources.amounts import Amount, amounts_in
from server.agents.external.sources.base import Outcome, SourceReport, Verdict, parse_iso_date
from server.agents.external.sources.segments import Segment, segments
from server.ingest.document import Document, StatementKind
from server.text.dates import find_dates
from server.text.sentences import sentences
from server.workers import offload

NAME = "memos"
HIGH_MATERIALITY = 0.01  # an event worth 1% of total assets or more is high severity
_NEGATION_WINDOW = 8  # words before the trigger in which a "no"/"not" denies the event
_HELD_ON = re.compile(r"\b(?:held on|dated|date:|meeting of|meeting on)\s*", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{3,}")
_NAME = re.compile(
    r"\b[A-Z][\w&.'\-]*(?:\s+(?:of|and|&|de|du|la)\s+[A-Z][\w&.'\-]*|\s+[A-Z][\w&.'\-]*)*"
)


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str
    reference: str
    severity: Severity
    memo: tuple[re.Pattern[str], ...]
    report: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    categories: tuple[Category, ...]
    negations: tuple[re.Pattern[str], ...]
    not_names: frozenset[str]
    generic: frozenset[str]


@cache
def vocabulary() -> Vocabulary:
    text = (
        files("server.agents.external.sources").joinpath("data/memo_events.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    categories = tuple(
        Category(
            key=key,
            label=spec["label"],
            reference=spec["reference"],
            severity=Severity(spec["severity"]),
            memo=tuple(re.compile(p, re.I) for p in spec["memo"]),
            report=tuple(re.compile(p, re.I) for p in spec["report"]),
        )
        for key, spec in data["categories"].items()
    )
    return Vocabulary(
        categories=categories,
        negations=tuple(re.compile(p, re.I) for p in data["negations"]),
        not_names=frozenset(str(w) for w in data["not_names"]),
        generic=frozenset(str(w) for w in data["generic_words"]),
    )


@dataclass(slots=True)
class Event:
    category: Category
    memo: Document
    segment: Segment
    quote: str  # the memo sentence that makes it an event
    heading: str = ""  # the agenda item it sits under
    names: set[str] = field(default_factory=set)
    amounts: list[Amount] = field(default_factory=list)
    dates: set[date] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


class MemoSource:
    """Memos or minutes uploaded with the audit (AuditInputs.memos)."""

    name = NAME

    def __init__(self, memos: list[Document]) -> None:
        self._memos = memos

    def data_date(self) -> date | None:
        dates = [memo_date(m) for m in self._memos]
        return max(dates) if dates else None

    def available(self) -> bool:
        return bool(self._memos)

    def unavailable_reason(self) -> str | None:
        return None if self._memos else "No memos or minutes were uploaded with this audit."

    async def check(self, document: Document) -> SourceReport:
        if not self._memos:
            return SourceReport(detail=self.unavailable_reason())
        return await offload(check_memos, document, self._memos)


def memo_date(memo: Document) -> date:
    """The memo's own date: its reporting date; else the date it says it was held or dated;
    else the latest date it prints (minutes cannot predate what they record); else today."""
    when = parse_iso_date(memo.reporting_date)
    if when is not None:
        return when
    texts = [
        *memo.page_headers,
        *(s.title for s in memo.sections),
        *(p.text for p in memo.paragraphs),
    ]
    for text in texts:
        m = _HELD_ON.search(text)
        found = find_dates(text[m.end() :]) if m else []
        if found:
            return found[0].value
    today = date.today()
    printed = [d.value for text in texts for d in find_dates(text) if d.value <= today]
    return max(printed, default=today)


def check_memos(report: Document, memos: list[Document]) -> SourceReport:
    vocab = vocabulary()
    units = segments(report)
    reporting = parse_iso_date(report.reporting_date)
    base = _total_assets(report)
    own = _own_name_words(report)
    verdicts: list[Verdict] = []
    events = 0
    for memo in memos:
        when = memo_date(memo)
        for event in find_events(memo, vocab, reporting, own):
            events += 1
            trace = find_trace(event, units)
            verdicts.append(_verdict(event, trace, when, base))
    detail = f"{events} events found in {len(memos)} memo(s)."
    return SourceReport(verdicts=verdicts, detail=detail)


def find_events(
    memo: Document, vocab: Vocabulary, reporting: date | None, own: set[str]
) -> list[Event]:
    """Events in a memo, one per item and kind. An item is a heading with the paragraphs under
    it (minutes are organised by agenda item), or a lone paragraph when the memo has none."""
    out: list[Event] = []
    for item in memo_items(memo):
        found: dict[str, Event] = {}
        for sentence in item.sentences:
            for category in vocab.categories:
                if _asserts(sentence, category.memo, vocab.negations):
                    event = Event(category, memo, item.segment, sentence, item.title)
                    found.setdefault(category.key, event)
        for event in found.values():
            if event.quote == item.title and len(item.sentences) > 1:
                event.quote = item.sentences[1]  # quote the minute, not only its heading
            for sentence in item.sentences:
                _add_anchors(event, sentence, vocab, reporting, own)
            out.append(event)
    return out


@dataclass(frozen=True, slots=True)
class MemoItem:
    title: str
    segment: Segment  # the first paragraph (or the heading when it has none)
    sentences: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def memo_items(memo: Document) -> list[MemoItem]:
    """Agenda items: the paragraphs under each heading, when the memo has two or more headed
    groups (one heading over everything is the memo's title); else each paragraph alone."""
    parts = [s for s in segments(memo) if s.paragraph is not None or s.row is not None]
    sections = {
        p.paragraph.section_id if p.paragraph else p.table.section_id if p.table else None
        for p in parts
    }
    by_heading = len(sections - {None}) >= 2
    grouped: dict[str, list[Segment]] = {}
    for part in parts:
        owner = part.paragraph.section_id if part.paragraph else None
        if part.table is not None:
            owner = part.table.section_id
        key = owner if by_heading and owner else f"#{len(grouped)}"
        grouped.setdefault(key, []).append(part)
    items: list[MemoItem] = []
    for key, members in grouped.items():
        section = memo.section(key)
        title = section.title if by_heading and section is not None else ""
        lines = ([title] if title else []) + [s.text for m in members for s in sentences(m.text)]
        items.append(MemoItem(title, members[0], lines))
    return items


def _asserts(
    sentence: str, triggers: tuple[re.Pattern[str], ...], negations: tuple[re.Pattern[str], ...]
) -> bool:
    for trigger in triggers:
        for m in trigger.finditer(sentence):
            before = sentence[: m.start()].split()[-_NEGATION_WINDOW:]
            window = " ".join(before)
            if not any(n.search(window) for n in negations):
                return True
    return False


def _add_anchors(
    event: Event, text: str, vocab: Vocabulary, reporting: date | None, own: set[str]
) -> None:
    for m in _NAME.finditer(text):
        words = [w.strip(".,'") for w in re.split(r"\s+", m.group(0)) if w.strip(".,'")]
        if m.start() == 0 and len(words) == 1:
            continue  # a capitalised first word of a sentence names nothing
        while words and (words[0] in vocab.not_names or words[0].lower() in {"of", "and", "&"}):
            words.pop(0)
        while words and (words[-1] in vocab.not_names or words[-1].lower() in {"of", "and", "&"}):
            words.pop()
        if not words or all(w.lower() in own for w in words):
            continue
        name = " ".join(words)
        if len(name) >= 3 and not name.isdigit():
            event.names.add(name)
    event.amounts.extend(amounts_in(text))
    for when in (d.value for d in find_dates(text)):
        if reporting is None or (when.month, when.day) != (reporting.month, reporting.day):
            event.dates.add(when)  # year-ends say nothing about which event it is
    triggers = event.category.memo + event.category.report
    for word in _WORD.findall(text):
        low = word.lower()
        if low in vocab.generic or low in own or any(t.search(low) for t in triggers):
            continue
        event.words.add(low)


@dataclass(frozen=True, slots=True)
class Trace:
    segment: Segment
    why: str


def find_trace(event: Event, units: list[Segment]) -> Trace | None:
    """The first report paragraph or row that speaks of this kind of event and shares an anchor
    with it; None when the report has no trace of it."""
    for unit in units:
        context = f"{unit.section_title} {unit.text}"
        if not any(p.search(context) for p in event.category.report):
            continue
        why = _shared_anchor(event, unit)
        if why is not None:
            return Trace(unit, why)
    return None


def _shared_anchor(event: Event, unit: Segment) -> str | None:
    """Why `unit` is about `event`: it shares two of the event's names, amounts and dates (or
    the only one the event has), or, for an event with none, two distinctive words."""
    text = unit.text
    low = text.lower()
    shared: list[str] = []
    for name in sorted(event.names, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name.lower())}\b", low):
            shared.append(name)
    amounts = amounts_in(text) + _row_amounts(unit)
    for mine in event.amounts:
        theirs = next((a for a in amounts if mine.overlaps(a)), None)
        if theirs is not None:
            shared.append(theirs.printed)
    for when, printed in ((d.value, d.text) for d in find_dates(text)):
        if when in event.dates and printed not in shared:
            shared.append(printed)
    strong = len(event.names) + len(event.amounts) + len(event.dates)
    if strong and len(shared) >= min(2, strong):
        return "mentions " + ", ".join(shared[:4])
    if strong:
        return None
    words = sorted(w for w in event.words if re.search(rf"\b{re.escape(w)}\b", low))
    if len(words) >= 2:
        return "shares the words " + ", ".join(words[:4])
    return None


def _row_amounts(unit: Segment) -> list[Amount]:
    """Figures on a table row, in currency units, with the precision the table prints."""
    if unit.table is None or unit.row is None:
        return []
    scale = unit.table.scale
    out: list[Amount] = []
    for column in unit.table.amount_columns():
        value = unit.row.value(column.index)
        if value:
            amount = abs(value) * scale
            out.append(Amount(amount, amount - scale / 2, amount + scale / 2, f"{value:,.0f}"))
    return out


def _total_assets(report: Document) -> float:
    best = 0.0
    for table in report.statement_tables(StatementKind.FINANCIAL_POSITION):
        for row in table.rows:
            for column in table.amount_columns()[:1]:
                value = row.value(column.index)
                if value is not None:
                    best = max(best, abs(value) * table.scale)
    return best


def _own_name_words(report: Document) -> set[str]:
    name = report.entity_name or ""
    return {w.lower().strip(".,") for w in name.split() if w}


def _verdict(event: Event, trace: Trace | None, when: date, base: float) -> Verdict:
    memo_location = Location(
        document=event.memo.name,
        paragraph=event.segment.location.paragraph,
        quote=event.quote[:200],
    )
    if event.segment.paragraph is None:
        memo_location = Location(document=event.memo.name, quote=event.quote[:200])
    key = ("memos", event.memo.name, event.segment.text[:200], event.category.key)
    if trace is not None:
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.VERIFIED,
            claim=f"{event.category.label.capitalize()} in {event.memo.name}: {event.quote[:160]}",
            evidence=f"The report {trace.why}: {trace.segment.text[:200]}",
            key=key,
            locations=(trace.segment.location, memo_location),
        )
    if not (event.names or event.amounts or event.dates):
        # nothing identifies the event (no party, amount or date): its absence is not proof
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.UNVERIFIABLE,
            claim=f"{event.category.label.capitalize()}: {event.quote[:160]}",
            evidence="The memo names no party, amount or date to look for in the report.",
            key=key,
            locations=(memo_location,),
            finding=False,
        )
    largest = max((a.value for a in event.amounts), default=0.0)
    if largest and base:
        severity = Severity.high if largest / base >= HIGH_MATERIALITY else Severity.medium
        if event.category.severity is Severity.high:
            severity = Severity.high
    else:
        severity = event.category.severity
    under = f' under "{event.heading[:120]}"' if event.heading else ""
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.CONTRADICTED,
        claim=f"{event.category.label.capitalize()}: {event.quote[:160]}",
        evidence=f'{event.memo.name}{under}: "{event.quote[:300]}"',
        key=key,
        title=f"{event.category.label.capitalize()} in the memo is not reflected in the report",
        description=(
            f'{event.memo.name} records{under}: "{event.quote[:300]}". No paragraph or note of the '
            f"report speaks of this {event.category.label} with the same counterparty, amount, "
            "date or wording."
        ),
        reference=event.category.reference,
        severity=severity,
        locations=(memo_location,),
    )
