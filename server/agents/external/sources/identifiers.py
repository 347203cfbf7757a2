"""Identifiers printed in the report, checked offline against their standards.

python-stdnum knows the check-digit schemes: an LEI (ISO 17442, mod 97-10), an ISIN (ISO 6166,
Luhn over the letters-as-digits, with a known country prefix) and a CUSIP. pycountry knows the
ISO 4217 currency list, against which currency codes in unit captions ("KZT'000", "in
thousands of EUR") are checked. A mistyped identifier is a contradiction of its own standard;
no network is needed.

Only identifiers that the text labels as such ("LEI", "ISIN", "CUSIP") are read, and currency
codes only where the context says they are currencies: precision over coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import pycountry
from stdnum import cusip, isin, lei
from stdnum.exceptions import InvalidChecksum, ValidationError

from generated.models import Location, Severity
from server.agents.external.sources.base import Outcome, SourceReport, Verdict
from server.agents.external.sources.currencies import currency_name, iso_codes, withdrawn_codes
from server.agents.external.sources.segments import Segment, segments
from server.ingest.document import Document
from server.workers import offload

NAME = "identifiers"

LEI_LABEL = re.compile(r"\bLEI\b|legal entity identifier", re.I)
LEI_TOKEN = re.compile(r"\b[A-Z0-9]{18}[0-9]{2}\b")
_ISIN_LABEL = re.compile(r"\bISIN\b", re.I)
_ISIN_TOKEN = re.compile(r"\b[A-Z]{2}[A-Z0-9]{9}[0-9]\b")
_CUSIP_LABEL = re.compile(r"\bCUSIP\b", re.I)
_CUSIP_TOKEN = re.compile(r"\b[0-9A-Z]{8}[0-9]\b")
_UNIT_CAPTIONS = [
    re.compile(r"\b([A-Z]{3})\s*['’`]\s*0{3}\b"),
    # "(?![&/-])": "$1.2 billion of IPR&D" is in-process R&D, not a currency "IPR".
    re.compile(r"\b(?i:thousands?|millions?|billions?)\s+of\s+([A-Z]{3})\b(?![&/-])"),
    re.compile(
        r"(?:\b[Ii]n\s+|\()([A-Z]{3})(?![&/-])\s+(?:thousands?|millions?|billions?|mln|bn)\b(?!-)"
    ),
]


@dataclass(frozen=True, slots=True)
class Found:
    scheme: str  # "LEI", "ISIN", "CUSIP"
    value: str
    segment: Segment


def find_leis(document: Document) -> list[Found]:
    """LEIs printed next to an "LEI" label, once each, where first printed."""
    return _find(document, "LEI", LEI_LABEL, LEI_TOKEN)


def _find(
    document: Document, scheme: str, label: re.Pattern[str], token: re.Pattern[str]
) -> list[Found]:
    seen: dict[str, Found] = {}
    for segment in segments(document):
        if not label.search(segment.text):
            continue
        for m in token.finditer(segment.text):
            value = m.group(0)
            if scheme == "CUSIP" and sum(ch.isdigit() for ch in value) < 3:
                continue
            seen.setdefault(value, Found(scheme, value, segment))
    return list(seen.values())


def warm_up() -> None:
    """Load pycountry's and the currency module's JSON now: parsing it holds the GIL."""
    iso_codes()
    withdrawn_codes()
    currency_name("EUR")
    pycountry.countries.get(alpha_2="GB")
    pycountry.currencies.get(alpha_3="EUR")


def data_version_date() -> date:
    """pycountry is versioned by the date of its ISO data (26.2.16 = 2026-02-16)."""
    try:
        yy, mm, dd = (int(p) for p in version("pycountry").split(".")[:3])
        return date(2000 + yy if yy < 100 else yy, mm, dd)
    except ValueError:
        return date.today()


class IdentifierSource:
    """Check digits (python-stdnum) and ISO code lists (pycountry): always available."""

    name = NAME

    def data_date(self) -> date | None:
        return data_version_date()

    def available(self) -> bool:
        return True

    def unavailable_reason(self) -> str | None:
        return None

    async def check(self, document: Document) -> SourceReport:
        return await offload(self._check, document)

    def _check(self, document: Document) -> SourceReport:
        when = data_version_date()
        verdicts: list[Verdict] = []
        found = (
            find_leis(document)
            + _find(document, "ISIN", _ISIN_LABEL, _ISIN_TOKEN)
            + _find(document, "CUSIP", _CUSIP_LABEL, _CUSIP_TOKEN)
        )
        for item in found:
            verdicts.append(_check_digits(item, when))
        verdicts.extend(_currency_codes(document, when))
        detail = f"{len(found)} identifiers and {len(verdicts) - len(found)} currency codes read."
        return SourceReport(verdicts=verdicts, detail=detail)


_STANDARDS = {
    "LEI": (lei, "ISO 17442 (mod 97-10 check digits)"),
    "ISIN": (isin, "ISO 6166 (country prefix and Luhn check digit)"),
    "CUSIP": (cusip, "CUSIP check digit"),
}


def _check_digits(item: Found, when: date) -> Verdict:
    module, standard = _STANDARDS[item.scheme]
    try:
        module.validate(item.value)
    except ValidationError as exc:
        problem = (
            "its check digits are wrong"
            if isinstance(exc, InvalidChecksum)
            else f"it is malformed ({str(exc).rstrip('.').lower()})"
        )
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.CONTRADICTED,
            claim=f"{item.scheme} {item.value}",
            evidence=f"{standard}: {problem}.",
            key=("identifiers", item.scheme, item.value),
            title=f"{item.scheme} {item.value} is not a valid {item.scheme}",
            description=(
                f"The report gives {item.scheme} {item.value}, but {problem} under {standard}. "
                "A mistyped identifier points readers and regulators at another entity or at none."
            ),
            reference=standard.split(" (")[0],
            severity=Severity.medium,
            locations=(item.segment.location,),
        )
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.VERIFIED,
        claim=f"{item.scheme} {item.value} is well formed",
        evidence=f"{standard}: check passes{_issuer_country(item)}.",
        key=("identifiers", item.scheme, item.value),
        locations=(item.segment.location,),
    )


def _issuer_country(item: Found) -> str:
    """For an ISIN, the ISO 3166 country its prefix names (pycountry), e.g. "; BM: Bermuda"."""
    if item.scheme != "ISIN":
        return ""
    country = pycountry.countries.get(alpha_2=item.value[:2])
    return f"; prefix {item.value[:2]}: {country.name}" if country else ""


def _currency_codes(document: Document, when: date) -> list[Verdict]:
    first: dict[str, Location] = {}
    for segment in segments(document):
        for pattern in _UNIT_CAPTIONS:
            for m in pattern.finditer(segment.text):
                first.setdefault(m.group(1).upper(), segment.location)
    for table in document.tables:
        if table.currency:
            first.setdefault(table.currency.upper(), Location(table=table.id))
    verdicts: list[Verdict] = []
    for code, location in first.items():
        if code in iso_codes() or code in withdrawn_codes():
            name = currency_name(code) or "a withdrawn code"
            verdicts.append(
                Verdict(
                    source=NAME,
                    source_date=when,
                    outcome=Outcome.VERIFIED,
                    claim=f"Currency code {code}",
                    evidence=f"ISO 4217: {code} is {name}.",
                    key=("identifiers", "currency", code),
                    locations=(location,),
                )
            )
            continue
        verdicts.append(
            Verdict(
                source=NAME,
                source_date=when,
                outcome=Outcome.CONTRADICTED,
                claim=f"Currency code {code}",
                evidence=f"ISO 4217 has no currency with the code {code}.",
                key=("identifiers", "currency", code),
                title=f"'{code}' is not an ISO 4217 currency code",
                description=(
                    f"The report states amounts in '{code}', which is not an ISO 4217 code; "
                    "the presentation currency must be unambiguous (IAS 1.51(d))."
                ),
                reference="IAS 1.51(d); ISO 4217",
                severity=Severity.medium,
                locations=(location,),
            )
        )
    return verdicts
