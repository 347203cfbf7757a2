"""GLEIF through the replay server: names and countries confirmed, wrong ones and unknown LEIs
contradicted, and every way the register can fail to answer is unverifiable, never a crash."""

from __future__ import annotations

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.gleif import GleifSource, normalise_name
from tests.support.parsed_documents import document, paragraph
from tests.support.replay_server import FIXTURES, Override, ReplayServer

APPLE = "HWUPKR0MPOU8FGXBT394"
BNP = "R0MUWSFPU8MPRO8K5P83"
UNKNOWN = "5493001KJTIIGC8Y1R12"  # valid check digits, no record in the replay set
RECORD = f"/api/v1/lei-records/{APPLE}"


def apple_report(lei: str = APPLE, name: str = "Apple Inc.", country: str = "United States"):
    return document(
        "apple-2024.docx",
        [
            paragraph("p1", f"{name} is incorporated in the {country} of America."),
            paragraph("p2", f"Legal Entity Identifier (LEI): {lei}"),
        ],
        entity_name=name,
    )


async def test_name_and_country_confirmed() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(apple_report())
    outcomes = {v.key[1]: v for v in report.verdicts}
    assert outcomes["name"].outcome is Outcome.VERIFIED
    assert outcomes["country"].outcome is Outcome.VERIFIED
    assert outcomes["name"].source_date.isoformat() == "2024-05-07"  # the record's last update
    assert server.requests[0][0] == RECORD


async def test_lei_of_another_entity_is_contradicted() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(apple_report(lei=BNP))
    name = next(v for v in report.verdicts if v.key[1] == "name")
    assert name.outcome is Outcome.CONTRADICTED
    assert "BNP PARIBAS" in name.evidence


async def test_country_differs_from_register() -> None:
    report_doc = document(
        "bnp.docx",
        [
            paragraph("p1", "BNP Paribas SA is incorporated in Belgium."),
            paragraph("p2", f"LEI: {BNP}"),
        ],
        entity_name="BNP Paribas SA",
    )
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(report_doc)
    by_kind = {v.key[1]: v.outcome for v in report.verdicts}
    assert by_kind == {"name": Outcome.VERIFIED, "country": Outcome.CONTRADICTED}


async def test_unknown_lei_is_contradicted() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(apple_report(lei=UNKNOWN))
    assert [v.outcome for v in report.verdicts] == [Outcome.CONTRADICTED]


async def test_server_error_is_unverifiable() -> None:
    with ReplayServer(FIXTURES / "gleif", {RECORD: Override(status=503)}) as server:
        report = await GleifSource(server.url, 2.0).check(apple_report())
    [verdict] = report.verdicts
    assert verdict.outcome is Outcome.UNVERIFIABLE and verdict.finding
    assert "503" in verdict.evidence


async def test_body_that_is_not_json_is_unverifiable() -> None:
    with ReplayServer(FIXTURES / "gleif", {RECORD: Override(body=b"<html>maintenance")}) as server:
        report = await GleifSource(server.url, 2.0).check(apple_report())
    assert [v.outcome for v in report.verdicts] == [Outcome.UNVERIFIABLE]


async def test_unexpected_record_shape_is_unverifiable() -> None:
    with ReplayServer(FIXTURES / "gleif", {RECORD: Override(body=b'{"data": []}')}) as server:
        report = await GleifSource(server.url, 2.0).check(apple_report())
    assert [v.outcome for v in report.verdicts] == [Outcome.UNVERIFIABLE]


async def test_timeout_is_unverifiable() -> None:
    with ReplayServer(FIXTURES / "gleif", {RECORD: Override(delay_s=1.0)}) as server:
        report = await GleifSource(server.url, 0.2).check(apple_report())
    [verdict] = report.verdicts
    assert verdict.outcome is Outcome.UNVERIFIABLE
    assert "in time" in verdict.evidence


async def test_nothing_listening_is_unverifiable() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        url = server.url  # closed when the block ends: the port now refuses connections
    report = await GleifSource(url, 1.0).check(apple_report())
    assert [v.outcome for v in report.verdicts] == [Outcome.UNVERIFIABLE]


async def test_off_by_default_counts_claims_without_findings() -> None:
    source = GleifSource(None, 2.0)
    report = await source.check(apple_report())
    assert not source.available()
    assert [(v.outcome, v.finding) for v in report.verdicts] == [(Outcome.UNVERIFIABLE, False)]


def test_legal_forms_do_not_change_a_name() -> None:
    assert normalise_name("Fan Milk Public Limited Company") == normalise_name("FAN MILK PLC")
    assert normalise_name("Apple Inc.") == normalise_name("APPLE INCORPORATED")
    assert normalise_name("Apple Inc.") != normalise_name("Apple Hospitality REIT, Inc.")


async def test_misconfigured_url_is_unverifiable() -> None:
    for url in ("api.gleif.org", "http://[not-a-host"):
        report = await GleifSource(url, 1.0).check(apple_report())
        assert [v.outcome for v in report.verdicts] == [Outcome.UNVERIFIABLE], url


SUBSIDIARY = "984500AB12CD34EF5669"  # fictional, see tests/fixtures/external/README.md


def northwind(*texts: str):
    blocks = [
        paragraph("p1", f"Northwind Dairy Limited, LEI {SUBSIDIARY}, is incorporated in England.")
    ]
    blocks += [paragraph(f"p{i}", t) for i, t in enumerate(texts, start=2)]
    return document("northwind.docx", blocks, entity_name="Northwind Dairy Limited")


async def test_ultimate_parent_named_in_the_report() -> None:
    note = "The ultimate parent and controlling party is Northwind Holdings plc."
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(northwind(note))
    parent = next(v for v in report.verdicts if v.key[1] == "parent")
    assert parent.outcome is Outcome.VERIFIED
    assert server.requests[-1][0] == f"/api/v1/lei-records/{SUBSIDIARY}/ultimate-parent"


async def test_ultimate_parent_missing_from_the_report() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        report = await GleifSource(server.url, 2.0).check(northwind())
    parent = next(v for v in report.verdicts if v.key[1] == "parent")
    assert parent.outcome is Outcome.CONTRADICTED
    assert "NORTHWIND HOLDINGS PLC" in parent.title and "IAS 1.138(c)" in parent.reference


async def test_no_parent_lookup_without_a_linked_parent() -> None:
    with ReplayServer(FIXTURES / "gleif") as server:
        await GleifSource(server.url, 2.0).check(apple_report())
    assert [path for path, _ in server.requests] == [RECORD]  # a reporting exception: no parent
