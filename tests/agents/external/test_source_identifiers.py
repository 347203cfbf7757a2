"""Identifiers and currency codes checked offline against their standards."""

from __future__ import annotations

from server.agents.external.sources.base import Outcome
from server.agents.external.sources.identifiers import (
    IdentifierSource,
    data_version_date,
    find_leis,
)
from server.ingest.document import Document
from tests.support.parsed_documents import document, paragraph, table

GOOD_LEI = "HWUPKR0MPOU8FGXBT394"
BAD_LEI = "HWUPKR0MPOU8FGXBT305"  # the injector's mutation: check digits + 11


def said(*texts: str) -> Document:
    return document("r.docx", [paragraph(f"p{i}", t) for i, t in enumerate(texts, start=1)])


def verdicts(doc: Document):
    return IdentifierSource()._check(doc).verdicts


def test_valid_lei_is_verified() -> None:
    [verdict] = verdicts(said(f"Legal Entity Identifier (LEI): {GOOD_LEI}."))
    assert verdict.outcome is Outcome.VERIFIED
    assert verdict.source_date == data_version_date()


def test_bad_lei_check_digits_are_contradicted() -> None:
    [verdict] = verdicts(said(f"LEI: {BAD_LEI}"))
    assert verdict.outcome is Outcome.CONTRADICTED
    assert "check digits are wrong" in verdict.evidence
    assert verdict.locations[0].paragraph == "p1"


def test_wrong_check_digits_are_always_caught() -> None:
    for check in range(100):
        lei = f"{GOOD_LEI[:18]}{check:02d}"
        expected = Outcome.VERIFIED if lei == GOOD_LEI else Outcome.CONTRADICTED
        assert verdicts(said(f"LEI: {lei}"))[0].outcome is expected, lei


def test_single_character_typos_in_an_lei_are_caught() -> None:
    caught = 0
    typos = 0
    for i in range(20):
        for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:: 7 if i < 18 else 1]:
            if ch == GOOD_LEI[i] or (i >= 18 and not ch.isdigit()):
                continue
            typo = GOOD_LEI[:i] + ch + GOOD_LEI[i + 1 :]
            typos += 1
            caught += verdicts(said(f"LEI {typo}"))[0].outcome is Outcome.CONTRADICTED
    # mod 97-10 misses a substitution only when letters (two digits each) happen to collide
    assert caught / typos >= 0.99


def test_unlabelled_twenty_character_tokens_are_not_read_as_leis() -> None:
    assert find_leis(said(f"Reference {GOOD_LEI} of the filing.")) == []


def test_isin_with_wrong_check_digit() -> None:
    results = verdicts(
        said("The shares (ISIN BMG3602E1084) trade on Euronext; bonds ISIN US0378331006.")
    )
    assert [(v.claim.split()[1], v.outcome) for v in results] == [
        ("BMG3602E1084", Outcome.VERIFIED),
        ("US0378331006", Outcome.CONTRADICTED),
    ]
    assert results[0].evidence.endswith("prefix BM: Bermuda.")


def test_currency_codes_in_unit_captions() -> None:
    doc = said(
        "All amounts are in thousands of EUR unless stated otherwise.", "Figures in EUT'000."
    )
    by_code = {v.claim: v.outcome for v in verdicts(doc)}
    assert by_code == {
        "Currency code EUR": Outcome.VERIFIED,
        "Currency code EUT": Outcome.CONTRADICTED,
    }


def test_withdrawn_codes_are_not_errors_and_other_capitals_are_ignored() -> None:
    doc = said("Amounts in RUR thousand.", "IAS 37 and the CEO million-dollar bonus.")
    assert [(v.claim, v.outcome) for v in verdicts(doc)] == [
        ("Currency code RUR", Outcome.VERIFIED)
    ]


def test_table_currency_is_checked() -> None:
    t = table("t1", ["2024"], [("Revenue", 10)], currency="GHS")
    assert [v.claim for v in verdicts(document("r.docx", [t]))] == ["Currency code GHS"]


def test_acronyms_after_a_scale_word_are_not_currency_codes() -> None:
    """'IPR&D' is in-process research and development, not a currency 'IPR'."""
    doc = said(
        "Intangible assets consist of $3.0 billion of IPR&D and $1.4 billion of developed "
        "technology; amounts in millions of USD.",
        "Charges (IPR&D million-dollar milestones) were expensed.",
    )
    assert [(v.claim, v.outcome) for v in verdicts(doc)] == [
        ("Currency code USD", Outcome.VERIFIED)
    ]
