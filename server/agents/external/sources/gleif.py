"""GLEIF, the global LEI register, as an online source (off unless configured).

For each well-formed LEI the report prints, the LEI record (`/api/v1/lei-records/{lei}`) gives
the registered legal name and the country of the legal address. The name must be the one the
report prints next to the LEI (or the reporting entity's, or at least one the report names
somewhere: it may be a parent's LEI); the country must be one the report names. When the LEI
is the reporting entity's own and GLEIF links an ultimate parent (`.../ultimate-parent`), the
report must name that parent (IAS 1.138(c)). An LEI that
GLEIF does not know is a contradiction; a register that does not answer makes every claim
about that LEI unverifiable, never a pass or a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pycountry
from stdnum import lei as lei_scheme

from generated.models import Severity
from server.agents.external.sources.base import Outcome, SourceReport, Verdict, parse_iso_date
from server.agents.external.sources.http import NOT_FOUND, get_json, open_client
from server.agents.external.sources.identifiers import Found, find_leis
from server.errors import SourceUnavailable
from server.ingest.document import Document

if TYPE_CHECKING:
    import httpx

NAME = "gleif"
REFERENCE = "GLEIF LEI record (ISO 17442)"
_LEGAL_FORMS = {
    "public limited company": "plc",
    "public limited liability company": "plc",
    "limited": "ltd",
    "incorporated": "inc",
    "corporation": "corp",
    "company": "co",
    "joint stock company": "jsc",
    "aktieselskab": "as",
    "aktiengesellschaft": "ag",
    "societe anonyme": "sa",
    "limited liability partnership": "llp",
    "limited liability company": "llc",
}
_FORM_TOKENS = {"plc", "ltd", "inc", "corp", "co", "jsc", "as", "ag", "sa", "llp", "llc", "the"}
_INCORPORATED = re.compile(
    r"\b(?:incorporated|domiciled|registered|organised|organized)\s+(?:and\s+domiciled\s+)?in\s+"
    r"(?:the\s+)?([A-Z][A-Za-z ]+?)(?=[,.;(]|\s+(?:and|with|under|as)\b|$)"
)


@dataclass(frozen=True, slots=True)
class LeiRecord:
    lei: str
    legal_name: str
    other_names: tuple[str, ...]
    country: str | None  # ISO 3166 alpha-2 of the legal address
    status: str
    updated: date | None
    has_ultimate_parent: bool = False  # GLEIF links a parent record (not a reporting exception)


def _links(data: Any, relationship: str) -> dict[str, Any]:
    links = ((data.get("relationships") or {}).get(relationship) or {}).get("links") or {}
    return links if isinstance(links, dict) else {}


def parse_record(body: Any) -> LeiRecord:
    """The fields we use from a GLEIF JSON:API record; SourceUnavailable if it is not one."""
    try:
        attributes = body["data"]["attributes"]
        entity = attributes["entity"]
        registration = attributes.get("registration") or {}
        return LeiRecord(
            lei=str(attributes["lei"]),
            legal_name=str(entity["legalName"]["name"]),
            other_names=tuple(str(n["name"]) for n in entity.get("otherNames") or []),
            country=(entity.get("legalAddress") or {}).get("country"),
            status=str(registration.get("status") or entity.get("status") or "unknown"),
            updated=parse_iso_date(registration.get("lastUpdateDate")),
            has_ultimate_parent="lei-record" in _links(body["data"], "ultimate-parent"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise SourceUnavailable("GLEIF answered with a record we do not recognise.") from exc


class GleifSource:
    name = NAME

    def __init__(self, base_url: str | None, timeout_s: float) -> None:
        self._base = base_url
        self._timeout = timeout_s

    def data_date(self) -> date | None:
        return None  # each record carries its own last-update date

    def available(self) -> bool:
        return self._base is not None

    def unavailable_reason(self) -> str | None:
        if self._base is None:
            return "Online sources are off; set CROSSCHECK_ONLINE=1 or CROSSCHECK_GLEIF_URL."
        return None

    async def check(self, document: Document) -> SourceReport:
        leis = [f for f in find_leis(document) if lei_scheme.is_valid(f.value)]
        if self._base is None:
            verdicts = [
                _unverifiable(f, date.today(), self.unavailable_reason() or "", False) for f in leis
            ]
            return SourceReport(verdicts=verdicts, detail=self.unavailable_reason())
        verdicts = []
        async with open_client(self._timeout) as client:
            for found in leis:
                verdicts.extend(await self._check_one(client, found, document))
        return SourceReport(
            verdicts=verdicts, detail=f"{len(leis)} LEIs looked up at {self._base}."
        )

    async def _check_one(
        self, client: httpx.AsyncClient, found: Found, document: Document
    ) -> list[Verdict]:
        url = f"{self._base}/api/v1/lei-records/{found.value}"
        try:
            reply = await get_json(client, url, {"Accept": "application/vnd.api+json"})
            if reply.status == NOT_FOUND:
                return [_unknown(found)]
            record = parse_record(reply.body)
        except SourceUnavailable as exc:
            return [_unverifiable(found, date.today(), exc.message, True)]
        when = record.updated or date.today()
        verdicts = [
            _name_verdict(found, record, document, when),
            *_country_verdict(found, record, document, when),
        ]
        own = document.entity_name and normalise_name(document.entity_name) == normalise_name(
            record.legal_name
        )
        if record.has_ultimate_parent and own:
            verdicts.append(await self._parent_verdict(client, found, document, when))
        return verdicts

    async def _parent_verdict(
        self, client: httpx.AsyncClient, found: Found, document: Document, when: date
    ) -> Verdict:
        """The reporting entity's ultimate parent per GLEIF must be named in the report."""
        url = f"{self._base}/api/v1/lei-records/{found.value}/ultimate-parent"
        try:
            reply = await get_json(client, url, {"Accept": "application/vnd.api+json"})
            if reply.status == NOT_FOUND:
                raise SourceUnavailable("GLEIF links an ultimate parent it cannot return.")
            parent = parse_record(reply.body)
        except SourceUnavailable as exc:
            return _unverifiable(found, when, exc.message, True, "parent")
        return _parent(found, parent, document, when)


def normalise_name(name: str) -> str:
    s = re.sub(r"[^\w\s]", " ", name.lower())
    s = re.sub(r"\s+", " ", s).strip()
    for long, short in sorted(_LEGAL_FORMS.items(), key=lambda kv: -len(kv[0])):
        s = re.sub(rf"\b{long}\b", short, s)
    return " ".join(t for t in s.split() if t not in _FORM_TOKENS)


def _named_in(name: str, text: str) -> bool:
    core = normalise_name(name)
    return bool(core) and re.search(rf"\b{re.escape(core)}\b", normalise_name(text)) is not None


def _name_verdict(found: Found, record: LeiRecord, document: Document, when: date) -> Verdict:
    names = (record.legal_name, *record.other_names)
    key = ("gleif", "name", found.value)
    if any(_named_in(n, found.segment.text) for n in names) or (
        document.entity_name
        and any(normalise_name(document.entity_name) == normalise_name(n) for n in names)
    ):
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.VERIFIED,
            claim=f"LEI {found.value} belongs to {record.legal_name}",
            evidence=f"GLEIF record: legal name {record.legal_name!r}, status {record.status}.",
            key=key,
            locations=(found.segment.location,),
        )
    text = document.text()
    if any(_named_in(n, text) for n in names):
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.VERIFIED,
            claim=f"LEI {found.value} belongs to {record.legal_name}, named in the report",
            evidence=f"GLEIF record: legal name {record.legal_name!r}, status {record.status}.",
            key=key,
            locations=(found.segment.location,),
        )
    printed = document.entity_name or "the reporting entity"
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.CONTRADICTED,
        claim=f"LEI {found.value} of {printed}",
        evidence=f"GLEIF record {found.value}: legal name {record.legal_name!r}.",
        key=key,
        title=f"LEI {found.value} is registered to {record.legal_name[:80]}",
        description=(
            f"The report gives LEI {found.value}, but GLEIF registers it to "
            f"{record.legal_name!r}, a name the report does not use anywhere. The LEI may be "
            f"another entity's, or {printed}'s legal name may be printed wrongly."
        ),
        reference=REFERENCE,
        severity=Severity.medium,
        locations=(found.segment.location,),
    )


def _country_verdict(
    found: Found, record: LeiRecord, document: Document, when: date
) -> list[Verdict]:
    if not record.country:
        return []
    country = pycountry.countries.get(alpha_2=record.country)
    if country is None:
        return []
    names = {
        str(getattr(country, attr))
        for attr in ("name", "official_name", "common_name")
        if getattr(country, attr, None)
    }
    text = document.text()
    key = ("gleif", "country", found.value)
    if any(re.search(rf"\b{re.escape(n)}\b", text, re.I) for n in names):
        return [
            Verdict(
                source=NAME,
                source_date=when,
                outcome=Outcome.VERIFIED,
                claim=f"LEI {found.value}: legal address in {country.name}",
                evidence=f"GLEIF record: legal address country {record.country}.",
                key=key,
                locations=(found.segment.location,),
            )
        ]
    stated = _stated_countries(text)
    if not stated or record.country in stated:
        return []
    return [
        Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.CONTRADICTED,
            claim=f"Entity incorporated in {', '.join(sorted(stated.values()))}",
            evidence=f"GLEIF record {found.value}: legal address country {record.country}.",
            key=key,
            title=f"GLEIF places LEI {found.value} in {country.name}, not where the report says",
            description=(
                f"The report says the entity is incorporated in "
                f"{', '.join(sorted(stated.values()))}; GLEIF gives the legal address of LEI "
                f"{found.value} ({record.legal_name}) in {country.name}."
            ),
            reference="IAS 1.138(a); " + REFERENCE,
            severity=Severity.medium,
            locations=(found.segment.location,),
        )
    ]


def _stated_countries(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _INCORPORATED.finditer(text):
        try:
            country = pycountry.countries.lookup(m.group(1).strip())
        except LookupError:
            continue
        out[str(country.alpha_2)] = str(country.name)
    return out


def _unknown(found: Found) -> Verdict:
    return Verdict(
        source=NAME,
        source_date=date.today(),
        outcome=Outcome.CONTRADICTED,
        claim=f"LEI {found.value}",
        evidence=f"GLEIF has no record of LEI {found.value}.",
        key=("gleif", "name", found.value),
        title=f"LEI {found.value} is not in the GLEIF register",
        description=(
            f"The report gives LEI {found.value}; its check digits are valid but GLEIF has no "
            "such record, so it identifies no entity."
        ),
        reference=REFERENCE,
        severity=Severity.medium,
        locations=(found.segment.location,),
    )


def _parent(found: Found, parent: LeiRecord, document: Document, when: date) -> Verdict:
    names = (parent.legal_name, *parent.other_names)
    key = ("gleif", "parent", found.value)
    evidence = f"GLEIF: ultimate parent of {found.value} is {parent.legal_name} (LEI {parent.lei})."
    if any(_named_in(n, document.text()) for n in names):
        return Verdict(
            source=NAME,
            source_date=when,
            outcome=Outcome.VERIFIED,
            claim=f"Ultimate parent {parent.legal_name} named in the report",
            evidence=evidence,
            key=key,
            locations=(found.segment.location,),
        )
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.CONTRADICTED,
        claim=f"Ultimate parent of {document.entity_name or found.value}",
        evidence=evidence,
        key=key,
        title=f"The report does not name its ultimate parent {parent.legal_name[:80]}",
        description=(
            f"GLEIF records {parent.legal_name} (LEI {parent.lei}) as the ultimate parent of "
            f"LEI {found.value}, but the report never names it; IAS 1.138(c) asks for the name "
            "of the parent and the ultimate parent of the group."
        ),
        reference="IAS 1.138(c); IAS 24.13; " + REFERENCE,
        severity=Severity.medium,
        locations=(found.segment.location,),
    )


def _unverifiable(
    found: Found, when: date, why: str, finding: bool, claim: str = "name"
) -> Verdict:
    return Verdict(
        source=NAME,
        source_date=when,
        outcome=Outcome.UNVERIFIABLE,
        claim=f"LEI {found.value}" + (" ultimate parent" if claim == "parent" else ""),
        evidence=why,
        key=("gleif", claim, found.value),
        title=f"LEI {found.value} could not be checked with GLEIF",
        description=f"The LEI record could not be compared with the report: {why}",
        reference=REFERENCE,
        severity=Severity.low,
        locations=(found.segment.location,),
        finding=finding,
    )
