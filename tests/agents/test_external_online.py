"""The external agent with its online sources switched on, against the local replay server."""

from __future__ import annotations

import pytest

from server.agents.base import AuditInputs
from server.agents.external.agent import run
from server.agents.external.sources.settings import SourceSettings
from server.ingest.document import StatementKind
from tests.support.frames import assert_valid
from tests.support.parsed_documents import document, paragraph, table
from tests.support.replay_server import FIXTURES, Override, ReplayServer

LEI = "HWUPKR0MPOU8FGXBT394"
ENDS = {"2024": "2024-09-28", "2023": "2023-09-30"}


def apple(lei: str = LEI) -> AuditInputs:
    operations = table(
        "t3",
        ["2024", "2023"],
        [("Total net sales", 391_035, 383_285), ("Net income", 93_736, 96_995)],
        statement=StatementKind.PROFIT_OR_LOSS,
        scale=1e6,
        period_ends=ENDS,
    )
    return AuditInputs(
        document(
            "apple-2024.docx",
            [
                paragraph(
                    "p1", "Apple Inc. is incorporated in the United States (CIK 0000320193)."
                ),
                paragraph("p2", f"Legal Entity Identifier: {lei}"),
                operations,
            ],
            reporting_date="2024-09-28",
            entity_name="Apple Inc.",
            currency="USD",
        )
    )


async def test_online_sources_confirm_facts_with_their_dates() -> None:
    with ReplayServer(FIXTURES / "gleif") as gleif, ReplayServer(FIXTURES / "sec") as sec:
        settings = SourceSettings(gleif_url=gleif.url, sec_url=sec.url, timeout_s=2.0)
        result = await run(apple(), settings=settings)
    assert_valid("ExternalResult", result.model_dump(mode="json"))
    assert result.findings == []
    tallies = {t.source: t for t in result.summary.sources}
    assert tallies["gleif"].available and tallies["gleif"].verified == 2  # name and country
    assert tallies["gleif"].source_date == "2024-05-07"
    assert tallies["sec_edgar"].verified == 4 and tallies["sec_edgar"].source_date == "2024-11-01"
    facts = {(f.source, f.claim) for f in result.summary.verified_facts}
    assert ("gleif", f"LEI {LEI} belongs to Apple Inc.") in facts


async def test_register_that_fails_makes_claims_unverifiable_not_failures() -> None:
    broken = {f"/api/v1/lei-records/{LEI}": Override(status=502)}
    slow = {"/api/xbrl/companyfacts/CIK0000320193.json": Override(delay_s=1.0)}
    with (
        ReplayServer(FIXTURES / "gleif", broken) as gleif,
        ReplayServer(FIXTURES / "sec", slow) as sec,
    ):
        settings = SourceSettings(gleif_url=gleif.url, sec_url=sec.url, timeout_s=0.2)
        result = await run(apple(), settings=settings)
    assert_valid("ExternalResult", result.model_dump(mode="json"))
    assert {(f.source, f.status.value, f.severity.value) for f in result.findings} == {
        ("gleif", "unverifiable", "low"),
        ("sec_edgar", "unverifiable", "low"),
    }
    assert result.summary.contradicted == 0 and result.summary.unverifiable == 1 + 4


async def test_lei_registered_to_someone_else_is_contradicted() -> None:
    with ReplayServer(FIXTURES / "gleif") as gleif:
        settings = SourceSettings(gleif_url=gleif.url, timeout_s=2.0)
        result = await run(apple(lei="R0MUWSFPU8MPRO8K5P83"), settings=settings)
    name, country = result.findings  # registered to BNP Paribas, in France, not the US
    assert {(f.source, f.status.value) for f in result.findings} == {("gleif", "contradicted")}
    assert "BNP PARIBAS" in name.evidence and "FR" in country.evidence


async def test_offline_by_default_lists_online_sources_as_unavailable(monkeypatch) -> None:
    for name in ("CROSSCHECK_ONLINE", "CROSSCHECK_GLEIF_URL", "CROSSCHECK_SEC_URL"):
        monkeypatch.delenv(name, raising=False)
    result = await run(apple())
    tallies = {t.source: t for t in result.summary.sources}
    assert not tallies["gleif"].available and tallies["gleif"].unverifiable == 1
    assert "CROSSCHECK_ONLINE" in (tallies["gleif"].detail or "")
    assert result.findings == []


def test_settings_come_from_the_environment() -> None:
    assert SourceSettings.from_env({}).online is False
    on = SourceSettings.from_env({"CROSSCHECK_ONLINE": "1", "CROSSCHECK_SOURCE_TIMEOUT_S": "3"})
    assert on.gleif_url == "https://api.gleif.org" and on.sec_url == "https://data.sec.gov"
    assert on.timeout_s == 3.0
    one = SourceSettings.from_env({"CROSSCHECK_GLEIF_URL": "http://127.0.0.1:9/"})
    assert (one.gleif_url, one.sec_url) == ("http://127.0.0.1:9", None)


async def test_a_source_that_raises_fails_the_agent_not_silently() -> None:
    class Broken:
        name = "broken"

        def data_date(self):
            return None

        def available(self) -> bool:
            return True

        def unavailable_reason(self):
            return None

        async def check(self, document):
            raise RuntimeError("a bug in a source")

    with pytest.raises(RuntimeError, match="a bug in a source"):
        await run(apple(), sources=[Broken()])
