"""The external agent end to end on real statements: silent on consistent sets, catches each
planted error its sources can see, and reports every source with its date and availability."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.quality.inject import KINDS, SampleSet, build_case, plan
from generated.models import ExternalResult
from server.agents.base import AuditInputs
from server.agents.external.agent import run
from server.agents.external.sources.settings import OFFLINE
from server.ingest.reader import read_document
from tests.support.frames import assert_valid

EXTERNAL_KINDS = tuple(k for k, agent in KINDS.items() if agent == "external")
SAMPLES = Path(__file__).resolve().parents[2] / "server" / "samples"
CLEAN = [
    s for s in json.loads((SAMPLES / "samples.json").read_text()) if "planted" not in s["name"]
]


def read(name: str):
    return read_document((SAMPLES / name).read_bytes(), name)


def sample_inputs(sample: dict) -> AuditInputs:
    prior = read(sample["prior_year"]) if sample.get("prior_year") else None
    return AuditInputs(read(sample["document"]), prior, [read(m) for m in sample["memos"]])


def inputs_of(built) -> AuditInputs:
    prior = read_document(built.prior_year[1], built.prior_year[0]) if built.prior_year else None
    memos = [read_document(data, name) for name, data in built.memos]
    return AuditInputs(read_document(built.document, built.filename), prior, memos)


async def audit(inputs: AuditInputs) -> ExternalResult:
    result = await run(inputs, settings=OFFLINE)
    assert_valid("ExternalResult", result.model_dump(mode="json"))
    return result


@pytest.mark.parametrize("sample", CLEAN, ids=[s["name"] for s in CLEAN])
async def test_consistent_sets_have_no_findings(sample: dict) -> None:
    result = await audit(sample_inputs(sample))
    assert result.findings == [], [f.title for f in result.findings]
    summary = result.summary
    assert summary.claims_found == summary.verified + summary.contradicted + summary.unverifiable
    assert summary.verified > 0 and summary.verified_facts
    tallies = {t.source: t for t in summary.sources}
    assert list(tallies) == [
        "prior_year",
        "memos",
        "ecb_rates",
        "identifiers",
        "gleif",
        "sec_edgar",
    ]
    assert tallies["prior_year"].available is bool(sample.get("prior_year"))
    assert tallies["memos"].available is bool(sample["memos"])
    assert not tallies["gleif"].available and not tallies["sec_edgar"].available


CASES = plan(1, kinds=EXTERNAL_KINDS)


@pytest.mark.parametrize(
    ("sample", "kind", "site"), CASES, ids=[f"{s.name}-{k}-{site}" for s, k, site in CASES]
)
async def test_planted_error_is_caught(sample: SampleSet, kind: str, site: str) -> None:
    built = build_case(sample, kind, site)
    result = await audit(inputs_of(built))
    contradicted = [f for f in result.findings if f.status.value == "contradicted"]
    assert len(contradicted) >= 1, built.case.description
    expected_source = {
        "prior_year_mismatch": "prior_year",
        "memo_event_omitted": "memos",
        "wrong_fx_rate": "ecb_rates",
        "bad_lei": "identifiers",
        "bad_isin": "identifiers",
    }[kind]
    assert {f.source for f in contradicted} == {expected_source}
    if built.case.keywords and kind != "prior_year_mismatch":
        text = " ".join(f.description + f.evidence for f in contradicted)
        assert any(k in text for k in built.case.keywords), built.case.keywords


def test_every_external_kind_has_planted_cases() -> None:
    planted = {kind for _, kind, _ in CASES}
    assert {"prior_year_mismatch", "memo_event_omitted", "wrong_fx_rate"} <= planted


async def test_ids_are_stable_and_progress_counts_sources() -> None:
    sample, kind, site = next(c for c in CASES if c[1] == "memo_event_omitted")
    inputs = inputs_of(build_case(sample, kind, site))
    calls: list[tuple[int, int | None, str | None]] = []

    def progress(done: int, total: int | None = None, message: str | None = None) -> None:
        calls.append((done, total, message))

    first = await run(inputs, progress, settings=OFFLINE)
    second = await run(inputs, settings=OFFLINE)
    assert first.findings
    assert [f.id for f in first.findings] == [f.id for f in second.findings]
    assert calls[0][:2] == (0, 6) and calls[-1][:2] == (6, 6)
