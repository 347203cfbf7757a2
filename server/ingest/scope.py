"""What a report says it is: the accounting framework (IFRS or US GAAP) and the period (annual
or interim), read once when the document is assembled.

The agents need both before they can judge anything: the IFRS checklist means nothing on a US
GAAP 10-K, a condensed interim report is not required to repeat the annual notes, and "the year
ended December 31, 2022" in a 10-Q for September 2023 is the last annual period, not a wrong date.

Evidence, strongest first: what an inline-XBRL filing tags about itself (dei:DocumentType 10-K or
10-Q, dei:DocumentFiscalPeriodFocus, the taxonomy its figures use); an explicit statement of
compliance ("prepared in accordance with IFRS as issued by the IASB", "in conformity with
accounting principles generally accepted in the United States"); the SEC cover page ("Annual
report pursuant to section 13 or 15(d)", "For the quarterly period ended"); the statements' own
headings ("Three months ended", "Condensed", "For the year ended"); and, weakest, which
standards the notes cite (ASC 842 and ASU 2016-02, or IFRS 16 and IAS 12).

Precision over recall: when nothing says, or the evidence conflicts without a clear winner, the
answer is None (unknown) and the summaries say so; nothing is assumed from a currency, a
language or a country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from server.ingest.document import Document, Framework, PeriodKind
from server.text.dates import period_lengths

_COVER_PARAGRAPHS = 80  # an SEC cover page, a title page and its contents list fit in these
_CLIP = 160
_UNCHECKED = re.compile(r"[☐¨□❑]\s*$")

# dei:DocumentType values. Domestic SEC registrants file 10-K and 10-Q under US GAAP (Regulation
# S-X); a 20-F, 40-F or 6-K may be IFRS or US GAAP, so those forms only tell the period.
_US_FORMS = {"10-K", "10-K/A", "10-KT", "10-KT/A", "10-Q", "10-Q/A", "10-QT", "10-QT/A"}
_ANNUAL_FORMS = {"10-K", "10-K/A", "10-KT", "10-KT/A", "20-F", "20-F/A", "40-F", "40-F/A"}
_INTERIM_FORMS = {"10-Q", "10-Q/A", "10-QT", "10-QT/A"}
_INTERIM_FOCUS = {"Q1", "Q2", "Q3", "Q4", "H1", "H2"}

_US_GAAP_NAME = (
    r"(?:(?:generally accepted accounting principles|accounting principles generally accepted)"
    r" in the united states(?: of america)?|\bu\.\s?s\.\s?gaap\b|\bus gaap\b|\bunited states gaap\b)"
)
_IFRS_NAME = (
    r"(?:international financial reporting standards|\bifrs\b|\bifrss\b|ifrs accounting standards"
    r"|international accounting standards|\bias 34\b)"
)
_COMPLIANCE_VERB = r"(?:in accordance with|in compliance with|compl(?:y|ies|ied) with|in conformity with|conforms? (?:to|with)|prepared (?:under|using|on the basis of))"
_US_COMPLIANCE = re.compile(rf"(?i){_COMPLIANCE_VERB}[^.;]{{0,60}}?{_US_GAAP_NAME}")
_IFRS_COMPLIANCE = re.compile(rf"(?i){_COMPLIANCE_VERB}[^.;]{{0,60}}?{_IFRS_NAME}")
_IFRS_AS_ISSUED = re.compile(
    r"(?i)\bifrs (?:accounting standards )?as (?:issued by the (?:iasb|international accounting "
    r"standards board)|adopted by the (?:european union|eu))|\buk-adopted international "
    r"accounting standards"
)
_US_GAAP_NAME_RE = re.compile(f"(?i){_US_GAAP_NAME}")
_IFRS_NAME_RE = re.compile(f"(?i){_IFRS_NAME}")
_NOT = re.compile(r"(?i)\b(?:not|nor|non-gaap|instead of|rather than|differ\w* from)\b")

_ASC_REFERENCE = re.compile(
    r"\bASC (?:Topic )?\d{3}\b|\bASU (?:No\. )?\d{4}-\d{2}\b|Accounting Standards Codification"
    r"|\bTopic \d{3}\b"
)
_IFRS_REFERENCE = re.compile(r"\bIFRS \d{1,2}\b|\bIAS \d{1,2}\b|\bIFRIC \d{1,2}\b|\bIASB\b")
_IAS_34 = re.compile(r"\bIAS 34\b|(?i:\binterim financial reporting\b)")
_ASC_270 = re.compile(r"\bASC 270\b|\bTopic 270\b")

# The SEC cover page: the ticked box says which report this is.
_COVER_ANNUAL = re.compile(
    r"(?i)annual report pursuant to section 13|for the fiscal year ended|for the financial year ended"
)
_COVER_INTERIM = re.compile(
    r"(?i)quarterly report pursuant to section 13|for the quarterly period ended"
)
_SELF_10K = re.compile(r"(?i)\b(?:this|our) (?:annual report on )?form 10-k\b")
_SELF_10Q = re.compile(r"(?i)\b(?:this|our) (?:quarterly report on )?form 10-q\b")
# For the period only "this": "our Quarterly Report on Form 10-Q for the three months ended ..."
# in a 10-K (and "our Annual Report on Form 10-K" in a 10-Q) cites another filing.
_THIS_ANNUAL = re.compile(r"(?i)\bthis (?:annual report on )?form (?:10-k|20-f|40-f)\b")
_THIS_INTERIM = re.compile(r"(?i)\bthis (?:quarterly report on )?form 10-q\b")
_FORM_LINE = re.compile(r"(?i)^\s*form\s+(10-k|10-q|20-f|40-f|6-k)\s*$")

# Besides a period shorter than a year ("three months ended", "13 weeks ended": server/text/dates).
_INTERIM_WORDS = re.compile(
    r"(?i)\b(?:half[- ]year|interim|condensed|first quarter|second quarter|third quarter)\b"
)
# A sentence naming the statements and their period ("the financial statements for the year
# ended 31 December 2024", "these condensed interim financial statements"). Weak for annual: an
# interim report also cites "the financial statements for the year ended" of its last annual report.
_ANNUAL_STATEMENTS = re.compile(
    r"(?i)\b(?:financial statements|accounts) (?:for|of|as at and for) the (?:financial |fiscal )?"
    r"year ended\b"
)
_INTERIM_STATEMENTS = re.compile(
    r"(?i)\binterim (?:condensed )?(?:consolidated )?financial (?:statements|report)\b"
    r"|\bcondensed (?:consolidated )?interim (?:consolidated )?financial (?:statements|report)\b"
    r"|\bcondensed consolidated financial statements\b"
    r"|\bfinancial statements (?:for|of) the (?:three|six|nine|3|6|9) months ended\b"
)
_ANNUAL_HEADING = re.compile(
    r"(?i)\b(?:(?:financial |fiscal )?years? ended|for the (?:financial |fiscal )?year\b"
    r"|twelve months ended|(?:52|53)[- ]weeks? ended|annual)\b"
)


@dataclass(slots=True)
class Scope:
    """The framework and period a document states, each with the evidence in words."""

    framework: Framework | None = None
    period: PeriodKind | None = None
    framework_evidence: list[str] = field(default_factory=list)
    period_evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Tally:
    """Weighted evidence for each side of one question."""

    score: dict[str, int] = field(default_factory=dict)
    strong: dict[str, bool] = field(default_factory=dict)
    why: dict[str, list[str]] = field(default_factory=dict)

    def add(self, side: str, weight: int, why: str, strong: bool = True) -> None:
        self.score[side] = self.score.get(side, 0) + weight
        self.strong[side] = self.strong.get(side, False) or strong
        self.why.setdefault(side, []).append(why)

    def decide(self, what: str) -> tuple[str | None, list[str]]:
        ranked = sorted(self.score.items(), key=lambda kv: kv[1], reverse=True)
        if not ranked:
            return None, [f"nothing in the document states the {what}"]
        side, best = ranked[0]
        other = ranked[1][1] if len(ranked) > 1 else 0
        if other == 0 or (best >= 2 * other and self.strong.get(side)):
            return side, self.why[side]
        found = "; ".join(f"{s}: {', '.join(self.why[s])}" for s, _ in ranked)
        return None, [f"conflicting evidence for the {what} ({found})"]


def detect(document: Document) -> Scope:
    """The framework and period `document` states; None where it does not say clearly."""
    paragraphs = [p.text for p in document.paragraphs]
    titles = [s.title for s in document.sections]
    cover = list(document.page_headers) + paragraphs[:_COVER_PARAGRAPHS] + titles[:20]
    body = paragraphs + titles
    framework, framework_why = _framework(document, cover, body).decide("accounting framework")
    period, period_why = _period(document, cover, body).decide("period (annual or interim)")
    return Scope(
        framework=Framework(framework) if framework else None,
        period=PeriodKind(period) if period else None,
        framework_evidence=framework_why,
        period_evidence=period_why,
    )


def read_scope(document: Document) -> None:
    """Detect once and keep the answer on the document (called when it is assembled)."""
    found = detect(document)
    document.framework = found.framework
    document.period_kind = found.period
    document.framework_evidence = found.framework_evidence
    document.period_evidence = found.period_evidence


def scope_of(document: Document) -> Scope:
    """The scope kept on the document, or detected now for a document built without a reader."""
    if document.framework_evidence or document.period_evidence:
        return Scope(
            document.framework,
            document.period_kind,
            list(document.framework_evidence),
            list(document.period_evidence),
        )
    return detect(document)


def describe(scope: Scope) -> str:
    """One sentence for a summary: "US GAAP, annual statements" or what is unknown."""
    framework = {
        Framework.IFRS: "IFRS",
        Framework.US_GAAP: "US GAAP",
        None: "framework not stated",
    }[scope.framework]
    period = {
        PeriodKind.ANNUAL: "annual statements",
        PeriodKind.INTERIM: "interim statements",
        None: "period not stated",
    }[scope.period]
    return f"{framework}, {period}"


# ------------------------------------------------------------------------------ framework


def _framework(document: Document, cover: list[str], body: list[str]) -> _Tally:
    tally = _Tally()
    us, ifrs = Framework.US_GAAP.value, Framework.IFRS.value
    form = (document.report_type or "").strip().upper()
    if form in _US_FORMS:
        tally.add(us, 3, f"filed on Form {form} (dei:DocumentType), which requires US GAAP")
    _taxonomy(document, tally)
    # A sentence naming both ("in accordance with both US GAAP and EU-IFRS") says neither.
    us_said = _sentences(body, _US_COMPLIANCE, _IFRS_NAME_RE)
    if us_said:
        tally.add(us, 3 * min(len(us_said), 5), _quoted("states compliance with US GAAP", us_said))
    ifrs_said = _sentences(body, (_IFRS_COMPLIANCE, _IFRS_AS_ISSUED), _US_GAAP_NAME_RE)
    if ifrs_said:
        tally.add(
            ifrs, 3 * min(len(ifrs_said), 5), _quoted("states compliance with IFRS", ifrs_said)
        )
    if form not in _US_FORMS:
        self_10k = _count(body, _SELF_10K) + _count(body, _SELF_10Q)
        self_10k += sum(1 for t in cover if (m := _FORM_LINE.match(t)) and m.group(1)[:2] == "10")
        if self_10k:
            tally.add(us, 2, f"calls itself a Form 10-K or 10-Q ({self_10k} times)")
    asc = _count(body, _ASC_REFERENCE)
    if asc >= 3:
        tally.add(
            us, 1 if asc < 10 else 2, f"cites the FASB Codification ({asc} references)", False
        )
    cited = _count(body, _IFRS_REFERENCE)
    if cited >= 3:
        tally.add(ifrs, 1 if cited < 10 else 2, f"cites IFRS standards ({cited} references)", False)
    return tally


def _taxonomy(document: Document, tally: _Tally) -> None:
    if len(document.facts) < 20:
        return
    us = sum(1 for f in document.facts if f.concept.startswith("us-gaap:"))
    ifrs = sum(1 for f in document.facts if f.concept.startswith("ifrs-full:"))
    for side, n, name in ((Framework.US_GAAP, us, "us-gaap"), (Framework.IFRS, ifrs, "ifrs-full")):
        if n >= 10 and n >= 4 * (us + ifrs - n):
            tally.add(side.value, 3, f"{n} of its tagged figures use the {name} taxonomy")


# ------------------------------------------------------------------------------ period


def _period(document: Document, cover: list[str], body: list[str]) -> _Tally:
    tally = _Tally()
    annual, interim = PeriodKind.ANNUAL.value, PeriodKind.INTERIM.value
    form = (document.report_type or "").strip().upper()
    if form in _ANNUAL_FORMS:
        tally.add(annual, 3, f"filed on Form {form} (dei:DocumentType)")
    elif form in _INTERIM_FORMS:
        tally.add(interim, 3, f"filed on Form {form} (dei:DocumentType)")
    focus = (document.fiscal_period or "").strip().upper()
    if focus == "FY":
        tally.add(annual, 3, "fiscal period focus FY (dei:DocumentFiscalPeriodFocus)")
    elif focus in _INTERIM_FOCUS:
        tally.add(interim, 3, f"fiscal period focus {focus} (dei:DocumentFiscalPeriodFocus)")
    if not form:
        said = _ticked(cover, _COVER_ANNUAL)
        if said:
            tally.add(annual, 4, f"cover page: '{_clip(said)}'")
        said = _ticked(cover, _COVER_INTERIM)
        if said:
            tally.add(interim, 4, f"cover page: '{_clip(said)}'")
        self_annual = _count(body, _THIS_ANNUAL)
        if self_annual:
            tally.add(annual, 2, f"calls itself this Form 10-K, 20-F or 40-F ({self_annual} times)")
        self_interim = _count(body, _THIS_INTERIM)
        if self_interim:
            tally.add(interim, 2, f"calls itself this Form 10-Q ({self_interim} times)")
    ias34 = _sentences(body, _IAS_34)
    if ias34:
        tally.add(interim, 3, _quoted("refers to IAS 34 Interim Financial Reporting", ias34))
    elif _count(body, _ASC_270):
        tally.add(interim, 1, "cites ASC 270 (interim reporting)", False)
    annual_said = [
        t for t in body if _ANNUAL_STATEMENTS.search(t) and not _INTERIM_STATEMENTS.search(t)
    ]
    interim_said = [t for t in body if _INTERIM_STATEMENTS.search(t)]
    if interim_said:
        tally.add(
            interim,
            2,
            f"the text calls them interim: '{_around(interim_said[0], _INTERIM_STATEMENTS)}'",
        )
    elif annual_said:
        tally.add(
            annual,
            1,
            f"the text calls them annual: '{_around(annual_said[0], _ANNUAL_STATEMENTS)}'",
            False,
        )
    headings = list(_statement_headings(document))
    said_interim = [h for h in headings if _says_interim(h)]
    said_annual = [h for h in headings if _ANNUAL_HEADING.search(h)]
    if said_interim:
        tally.add(interim, 2, f"statement headings: '{_clip(said_interim[0])}'")
    if said_annual:
        tally.add(annual, 2, f"statement headings: '{_clip(said_annual[0])}'")
    return tally


def _statement_headings(document: Document) -> Iterable[str]:
    """Titles and column headers of the primary statements, and headings that name one."""
    for table in document.tables:
        if table.statement is None:
            continue
        if table.title:
            yield table.title
        for column in table.columns:
            if column.header:
                yield column.header
    for section in document.sections:
        if section.statement is not None:
            yield section.title


# ------------------------------------------------------------------------------ text


def _sentences(
    texts: list[str],
    patterns: re.Pattern[str] | tuple[re.Pattern[str], ...],
    unless: re.Pattern[str] | None = None,
) -> list[str]:
    """Sentences that state something (not "differs from US GAAP", "non-GAAP"), those about
    the financial statements first; a sentence counts once however many patterns match it."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    for number, text in enumerate(texts):
        matches = [
            m
            for p in (patterns if isinstance(patterns, tuple) else (patterns,))
            for m in p.finditer(text)
        ]
        for m in matches:
            stop = text.rfind(". ", 0, m.start())
            start = stop + 2 if stop >= 0 else 0
            if (number, start) in seen:
                continue
            seen.add((number, start))
            end = text.find(". ", m.end())
            sentence = text[start : end if end >= 0 else len(text)].strip()
            if _NOT.search(text[max(start, m.start() - 40) : m.end()]):
                continue
            if unless is not None and unless.search(sentence):
                continue
            # quoted from a little before the verb to the framework's name
            lead = max(start, text.rfind(" ", start, max(start, m.start() - 50)) + 1)
            found.append(("…" if lead > start else "") + text[lead : m.end()].strip())
    return sorted(found, key=lambda t: "financial statements" not in t.lower())


def _count(texts: list[str], pattern: re.Pattern[str]) -> int:
    return sum(len(pattern.findall(t)) for t in texts)


def _ticked(cover: list[str], pattern: re.Pattern[str]) -> str | None:
    """The cover line saying it, unless its check box is printed empty."""
    for text in cover:
        m = pattern.search(text)
        if m and not _UNCHECKED.search(text[max(0, m.start() - 4) : m.start()]):
            return text[m.start() :]
    return None


def _quoted(what: str, sentences: list[str]) -> str:
    more = f" ({len(sentences)} times)" if len(sentences) > 1 else ""
    return f"{what}{more}: '{_clip(sentences[0])}'"


def _around(text: str, pattern: re.Pattern[str]) -> str:
    """The words around the first match, for quoting from a long paragraph."""
    m = pattern.search(text)
    if m is None or len(text) <= _CLIP:
        return _clip(text)
    start = max(0, text.rfind(" ", 0, max(0, m.start() - 60)) + 1)
    return ("…" if start else "") + _clip(text[start:])


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def _says_interim(heading: str) -> bool:
    return bool(_INTERIM_WORDS.search(heading)) or any(
        length.interim for length in period_lengths(heading)
    )
