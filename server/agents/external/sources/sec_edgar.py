"""SEC EDGAR company facts as an online source (off unless configured).

`/api/xbrl/companyfacts/CIK##########.json` holds every value the company filed in XBRL, with
the filing it came from. Key statement lines (revenue, profit, total assets, equity...; the
label-to-concept table is data, `data/sec_concepts.yaml`) are compared, period by period, with
the values filed in annual reports (10-K, 20-F, 40-F). A figure that agrees with the value as
first filed, or as last filed (a restatement the SEC already has), is verified; one that
agrees with neither is a contradiction unless the report explains it as restated.

The CIK comes from the settings or from the report ("CIK 0000320193"); without one there is
nothing to look up and the source reports that in its tally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from generated.models import CellRef, Location, Severity
from server.agents.external.sources.base import Outcome, SourceReport, Verdict, parse_iso_date
from server.agents.external.sources.http import NOT_FOUND, get_json, open_client
from server.agents.external.sources.prior_year import column_year
from server.agents.external.sources.restatement import RestatementIndex
from server.errors import SourceUnavailable
from server.ingest.document import Document, RowKind, StatementKind, Table
from server.text.labels import match_key

NAME = "sec_edgar"
REFERENCE = "SEC EDGAR XBRL company facts; IAS 8.49"
ANNUAL_FORMS = {"10-K", "10-K/A", "20-F", "20-F/A", "40-F", "40-F/A"}
HIGH_MATERIALITY = 0.01
_CIK = re.compile(r"\b(?:CIK|Central Index Key)\b\D{0,12}(\d{1,10})\b", re.I)
_INSTANT = (StatementKind.FINANCIAL_POSITION,)
_DURATION = (StatementKind.PROFIT_OR_LOSS, StatementKind.COMPREHENSIVE_INCOME)


@dataclass(frozen=True, slots=True)
class Line:
    labels: frozenset[str]
    concepts: tuple[str, ...]
    instant: bool


@dataclass(frozen=True, slots=True)
class Filed:
    value: float
    end: date
    start: date | None
    form: str
    filed: date
    accession: str


@cache
def lines() -> tuple[Line, ...]:
    text = (
        files("server.agents.external.sources")
        .joinpath("data/sec_concepts.yaml")
        .read_text("utf-8")
    )
    data = yaml.safe_load(text)
    return tuple(
        Line(
            labels=frozenset(match_key(label) for label in spec["labels"]),
            concepts=tuple(spec["concepts"]),
            instant=spec["period"] == "instant",
        )
        for spec in data["lines"]
    )


def find_cik(document: Document) -> str | None:
    m = _CIK.search(document.text())
    return m.group(1).zfill(10) if m else None


class SecEdgarSource:
    name = NAME

    def __init__(
        self, base_url: str | None, cik: str | None, user_agent: str, timeout_s: float
    ) -> None:
        self._base = base_url
        self._cik = cik.zfill(10) if cik else None
        self._user_agent = user_agent
        self._timeout = timeout_s

    def data_date(self) -> date | None:
        return None  # the date of the latest filing used, known once the facts are read

    def available(self) -> bool:
        return self._base is not None

    def unavailable_reason(self) -> str | None:
        if self._base is None:
            return "Online sources are off; set CROSSCHECK_ONLINE=1 or CROSSCHECK_SEC_URL."
        return None

    async def check(self, document: Document) -> SourceReport:
        if self._base is None:
            return SourceReport(detail=self.unavailable_reason())
        cik = self._cik or find_cik(document)
        if cik is None:
            return SourceReport(
                detail="No SEC CIK in the report or the settings; nothing to look up."
            )
        claims = report_lines(document)
        url = f"{self._base}/api/xbrl/companyfacts/CIK{cik}.json"
        try:
            async with open_client(self._timeout) as client:
                reply = await get_json(client, url, {"User-Agent": self._user_agent})
            if reply.status == NOT_FOUND:
                return SourceReport(detail=f"SEC EDGAR has no company facts for CIK {cik}.")
            facts = _facts(reply.body)
        except SourceUnavailable as exc:
            verdicts = [_unverifiable(claims, exc.message)] if claims else []
            return SourceReport(verdicts=verdicts, detail=exc.message)
        index = RestatementIndex(document)
        currency = (document.currency or "USD").upper()
        verdicts = [v for c in claims if (v := _judge(c, facts, currency, index, cik)) is not None]
        return SourceReport(
            verdicts=verdicts, detail=f"{len(verdicts)} statement lines compared with CIK {cik}."
        )


@dataclass(frozen=True, slots=True)
class LineClaim:
    line: Line
    label: str
    table: Table
    row_index: int
    column: int
    end: date
    value: float  # as printed
    scale: float

    @property
    def amount(self) -> float:
        return self.value * self.scale


def report_lines(document: Document) -> list[LineClaim]:
    """Statement lines the concept table knows, with a value and a period end per column."""
    reporting = parse_iso_date(document.reporting_date)
    by_label = {label: line for line in lines() for label in line.labels}
    out: list[LineClaim] = []
    seen: set[tuple[str, date]] = set()
    for table in document.tables:
        if table.statement is None or table.note_number:
            continue
        for row in table.rows:
            if row.kind is RowKind.HEADING:
                continue
            line = by_label.get(match_key(row.label))
            if line is None or (table.statement in _INSTANT) != line.instant:
                continue
            if table.statement not in _INSTANT + _DURATION:
                continue
            for column in table.amount_columns():
                end = parse_iso_date(column.period_end)
                year = column_year(column)
                if end is None and year is not None and reporting is not None:
                    end = _same_day(reporting, year)
                value = row.value(column.index)
                if end is None or value is None or (line.concepts[0], end) in seen:
                    continue
                seen.add((line.concepts[0], end))
                out.append(
                    LineClaim(
                        line, row.label, table, row.index, column.index, end, value, table.scale
                    )
                )
    return out


def _same_day(reporting: date, year: int) -> date:
    try:
        return reporting.replace(year=year)
    except ValueError:  # 29 February
        return reporting.replace(year=year, day=28)


def _facts(body: Any) -> dict[str, dict[str, list[Filed]]]:
    """concept -> unit -> annual filings of it; SourceUnavailable if the body is not facts."""
    try:
        taxonomies = body["facts"]
        out: dict[str, dict[str, list[Filed]]] = {}
        for taxonomy, concepts in taxonomies.items():
            for concept, spec in concepts.items():
                units: dict[str, list[Filed]] = {}
                for unit, values in spec["units"].items():
                    kept = [
                        Filed(
                            value=float(v["val"]),
                            end=date.fromisoformat(v["end"]),
                            start=parse_iso_date(v.get("start")),
                            form=str(v.get("form", "")),
                            filed=date.fromisoformat(v["filed"]),
                            accession=str(v.get("accn", "")),
                        )
                        for v in values
                        if str(v.get("form", "")) in ANNUAL_FORMS
                    ]
                    units[unit.upper()] = kept
                out[f"{taxonomy}:{concept}"] = units
        return out
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceUnavailable("SEC EDGAR answered with facts we do not recognise.") from exc


def _matching(claim: LineClaim, filed: list[Filed]) -> list[Filed]:
    out = []
    for f in filed:
        if f.end != claim.end:
            continue
        if claim.line.instant:
            if f.start is None:
                out.append(f)
        elif f.start is not None and abs((f.end - f.start) - timedelta(days=364)) <= timedelta(
            days=14
        ):
            out.append(f)
    return sorted(out, key=lambda f: f.filed)


def _judge(
    claim: LineClaim,
    facts: dict[str, dict[str, list[Filed]]],
    currency: str,
    index: RestatementIndex,
    cik: str,
) -> Verdict | None:
    for concept in claim.line.concepts:
        filed = _matching(claim, facts.get(concept, {}).get(currency, []))
        if filed:
            break
    else:
        return None
    first, last = filed[0], filed[-1]
    where = Location(
        table=claim.table.id,
        table_title=claim.table.title or claim.table.id,
        cells=[CellRef(row=claim.row_index, column=claim.column)],
        quote=claim.label,
    )
    key = ("sec_edgar", concept, claim.end.isoformat())
    said = f"{claim.label} {claim.end.isoformat()}: {claim.value:,.0f}"
    tolerance = claim.scale
    for f, how in ((first, "as first filed"), (last, "as last filed")):
        if abs(claim.amount - f.value) <= tolerance:
            return Verdict(
                source=NAME,
                source_date=last.filed,
                outcome=Outcome.VERIFIED,
                claim=said,
                evidence=f"{concept} {how} ({f.form}, {f.filed.isoformat()}, {f.accession}): {f.value:,.0f}",
                key=key,
                locations=(where,),
            )
    explanation = index.explains(claim.label, claim.table, claim.column)
    evidence = (
        f"{concept} for the period ending {claim.end.isoformat()} filed in {first.form} on "
        f"{first.filed.isoformat()} ({first.accession}): {first.value:,.0f} {currency}"
    )
    if explanation is not None:
        return Verdict(
            source=NAME,
            source_date=last.filed,
            outcome=Outcome.VERIFIED,
            claim=said + " (restated)",
            evidence=f"{evidence}; the report explains the change ({explanation.where}).",
            key=key,
            locations=(where,),
        )
    difference = claim.amount - first.value
    materiality = abs(difference) / abs(first.value) if first.value else 1.0
    return Verdict(
        source=NAME,
        source_date=last.filed,
        outcome=Outcome.CONTRADICTED,
        claim=said,
        evidence=evidence,
        key=key,
        title=f"'{claim.label}' differs from the value filed with the SEC",
        description=(
            f"The report shows {claim.amount:,.0f} {currency} for '{claim.label}' "
            f"({claim.end:%d %B %Y}); CIK {cik} filed {first.value:,.0f} for {concept} "
            f"({difference:+,.0f}, {materiality:.1%}). The report does not present the line as "
            "restated."
        ),
        reference=REFERENCE,
        severity=Severity.high if materiality >= HIGH_MATERIALITY else Severity.medium,
        locations=(where,),
    )


def _unverifiable(claims: list[LineClaim], why: str) -> Verdict:
    first = claims[0]
    return Verdict(
        source=NAME,
        source_date=date.today(),
        outcome=Outcome.UNVERIFIABLE,
        claim=f"{len(claims)} statement lines (revenue, profit, assets, ...)",
        evidence=why,
        key=("sec_edgar", "unavailable"),
        title="Statement lines could not be checked against SEC filings",
        description=f"SEC EDGAR company facts could not be read: {why}",
        reference=REFERENCE,
        severity=Severity.low,
        locations=(Location(table=first.table.id, quote=first.label),),
        claims=len(claims),
    )
