"""The disclosure agent: its checklist is valid data, and on Word documents read by the reader it
finds what is missing or incomplete without flagging disclosures worded another way."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError

from generated.models import DisclosureResult, DisclosureStatus, Severity
from server.agents.disclosure import agent as disclosure
from server.agents.disclosure.checklist import (
    CHECKLIST_PATH,
    CHECKLISTS,
    SCHEMA_PATH,
    load_checklist,
    parse,
)
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder
from tests.support.frames import assert_valid

REQUIRED_STANDARDS = {
    "IAS 1", "IAS 7", "IAS 8", "IAS 10", "IAS 12", "IAS 16", "IAS 19", "IAS 24", "IAS 33",
    "IAS 36", "IAS 37", "IAS 40", "IFRS 7", "IFRS 13", "IFRS 15", "IFRS 16",
}  # fmt: skip


def _raw() -> dict:
    with CHECKLIST_PATH.open(encoding="utf-8") as fh:
        data: dict = yaml.safe_load(fh)
    return data


def test_checklist_is_valid_against_its_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(_raw())
    checklist = load_checklist()
    assert len(checklist.requirements) >= 80
    ids = [r.id for r in checklist.requirements]
    assert len(ids) == len(set(ids))
    per_standard = Counter(r.standard for r in checklist.requirements)
    assert set(per_standard) >= REQUIRED_STANDARDS
    assert all(per_standard[s] >= 3 for s in REQUIRED_STANDARDS)


def test_malformed_checklist_is_rejected() -> None:
    data = _raw()
    data["requirements"][0]["evidence"] = {"any": [{"phrase": "x", "heading": "y"}]}
    with pytest.raises(ValidationError):
        parse(data)
    data = _raw()
    data["requirements"][0]["standard"] = "IFRS 99"
    with pytest.raises(ValueError, match="IFRS 99"):
        parse(data)


HEADER = ["In thousands of euros", "Note", "2024", "2023"]
SOFP = [
    HEADER,
    ["Property, plant and equipment", "4", "5,000", "4,800"],
    ["Cash and cash equivalents", "", "900", "700"],
    ["Total assets", "", "5,900", "5,500"],
    ["Share capital", "", "1,000", "1,000"],
    ["Retained earnings", "", "4,900", "4,500"],
    ["Total equity", "", "5,900", "5,500"],
]
PPE_NOTE = [
    ["In thousands of euros", "Buildings", "Plant", "Total"],
    ["Cost at 1 January 2024", "3,000", "4,000", "7,000"],
    ["Additions", "100", "600", "700"],
    ["Cost at 31 December 2024", "3,100", "4,600", "7,700"],
    ["Depreciation at 1 January 2024", "800", "1,400", "2,200"],
    ["Charge for the year", "150", "350", "500"],
    ["Depreciation at 31 December 2024", "950", "1,750", "2,700"],
    ["Carrying amount at 31 December 2024", "2,150", "2,850", "5,000"],
]
COMPLIANCE = (
    "The financial statements for the year ended 31 December 2024 have been prepared in "
    "accordance with IFRS Accounting Standards as issued by the IASB."
)
POLICY = (
    "Property, plant and equipment is stated at historical cost less accumulated depreciation. "
    "Depreciation is charged on a straight-line basis over useful lives of 10 to 40 years."
)


def _audit(ppe_note: list[list[str]] | None = PPE_NOTE, policy: str = POLICY) -> DisclosureResult:
    b = DocBuilder().heading("Statement of financial position as at 31 December 2024").table(SOFP)
    b.heading("Notes to the financial statements").heading("Accounting policies", 2)
    b.para(COMPLIANCE).para(policy)
    if ppe_note is not None:
        b.heading("4. Property, plant and equipment", 2).table(ppe_note)
    return disclosure.audit(read_document(b.bytes(), "set.docx"))


def _by_id(result: DisclosureResult) -> dict[str, DisclosureStatus]:
    return {str(f.requirement_id): f.status for f in result.findings}


def test_standards_are_chosen_from_the_document_with_reasons() -> None:
    result = _audit()
    assert_valid("DisclosureResult", result.model_dump(mode="json"))
    assert result.summary.checklist == "IFRS annual"
    assert result.summary.scope is not None and result.summary.scope.framework.value == "ifrs"
    standards = {s.standard: s for s in result.summary.standards}
    assert standards["IAS 1"].applies and "every set" in standards["IAS 1"].reason
    assert standards["IAS 16"].applies
    assert standards["IAS 16"].reason == "triggered by line item 'Property, plant and equipment'"
    assert not standards["IAS 40"].applies and standards["IAS 40"].reason.startswith(
        "not triggered"
    )
    s = result.summary
    assert s.requirements_checked == s.present + s.missing + s.incomplete
    assert not any(f.standard == "IAS 16" for f in result.findings)


def test_note_without_its_reconciliation_is_incomplete() -> None:
    short = [PPE_NOTE[0], ["Carrying amount at 31 December 2024", "2,150", "2,850", "5,000"]]
    result = _audit(ppe_note=short)
    finding = next(f for f in result.findings if f.requirement_id == "ias16-reconciliation")
    assert finding.status is DisclosureStatus.incomplete
    assert finding.severity is Severity.low
    assert finding.reference == "IAS 16.73(d)-(e)"
    assert "additions" in finding.description
    assert finding.model_dump(mode="json")["locations"]


def test_removed_note_and_policy_are_missing_with_standard_and_paragraph() -> None:
    result = _audit(ppe_note=None, policy="The statements are presented in euros.")
    statuses = _by_id(result)
    for rid in ("ias16-measurement", "ias16-depreciation-method", "ias16-useful-lives"):
        assert statuses[rid] is DisclosureStatus.missing
    finding = next(f for f in result.findings if f.requirement_id == "ias16-useful-lives")
    assert finding.standard == "IAS 16" and finding.reference == "IAS 16.73(c)"
    assert "Property, plant and equipment" in finding.description  # why it applies


def test_other_wording_is_not_reported_missing() -> None:
    """The same disclosures written by another firm: US spelling, other synonyms."""
    b = (
        DocBuilder()
        .heading("Consolidated Balance Sheet as of December 31, 2024")
        .table(SOFP)
        .para(
            "These financial statements for the year ended December 31, 2024 comply with IFRS "
            "Accounting Standards as issued by the IASB."
        )
        .para("Key judgments and estimates: management made judgments in applying the policies.")
        .para("The financial statements were approved by the Board of Directors on March 3, 2025.")
        .heading("Notes", 1)
        .heading("Fixed assets", 2)
        .para(
            "Fixed assets are recorded at cost less depreciation, computed using the reducing balance method at rates of 10% to 25% per annum."
        )
        .table(PPE_NOTE)
    )
    result = disclosure.audit(read_document(b.bytes(), "other.docx"))
    assert result.summary.checklist == "IFRS annual"
    statuses = _by_id(result)
    for rid in (
        "ias1-compliance",
        "ias1-judgements",
        "ias10-authorisation-date",
        "ias16-measurement",
        "ias16-depreciation-method",
        "ias16-useful-lives",
        "ias16-reconciliation",
    ):
        assert rid not in statuses, rid


def test_ids_are_stable() -> None:
    first, second = _audit(ppe_note=None), _audit(ppe_note=None)
    assert [f.id for f in first.findings] == [f.id for f in second.findings]
    assert len({f.id for f in first.findings}) == len(first.findings)


def test_every_checklist_is_valid_and_cites_its_framework() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for (framework, period), file in CHECKLISTS.items():
        raw = yaml.safe_load((SCHEMA_PATH.parent / file).read_text(encoding="utf-8"))
        Draft202012Validator(schema).validate(raw)
        checklist = load_checklist(file)
        assert (checklist.framework, checklist.period) == (framework, period)
        ids = [r.id for r in checklist.requirements]
        assert len(ids) == len(set(ids)), file
        prefix = "ASC " if framework == "us_gaap" else "I"
        assert all(r.standard.startswith(prefix) for r in checklist.requirements), file
    us = {r.standard for r in load_checklist("us_gaap.yaml").requirements}
    assert us >= {
        "ASC 205-40", "ASC 235", "ASC 260", "ASC 280", "ASC 326", "ASC 606", "ASC 740",
        "ASC 820", "ASC 842", "ASC 855",
    }  # fmt: skip
    reference = next(
        r for r in load_checklist("us_gaap.yaml").requirements if r.standard == "ASC 740"
    )
    assert reference.reference.startswith("ASC 740-10-50-")


US_INCOME = [
    ["(In millions, except per share amounts)", "2024", "2023"],
    ["Net sales", "1,000", "900"],
    ["Cost of sales", "(600)", "(550)"],
    ["Income before income taxes", "400", "350"],
    ["Provision for income taxes", "(80)", "(70)"],
    ["Net income", "320", "280"],
]


def _us_filing(*extra: str) -> DisclosureResult:
    b = (
        DocBuilder()
        .para(
            "ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934"
        )
        .para("For the fiscal year ended December 31, 2024")
        .heading("Consolidated Statements of Operations for the years ended December 31")
        .table(US_INCOME)
        .heading("Note 1. Summary of Significant Accounting Policies", 2)
        .para(
            "The consolidated financial statements have been prepared in conformity with "
            "accounting principles generally accepted in the United States of America."
        )
    )
    for text in extra:
        b.para(text)
    return disclosure.audit(read_document(b.bytes(), "10k.docx"))


def test_us_gaap_annual_report_gets_the_us_gaap_checklist() -> None:
    result = _us_filing()
    assert_valid("DisclosureResult", result.model_dump(mode="json"))
    assert result.summary.checklist == "US GAAP annual"
    assert result.summary.scope is not None and result.summary.scope.framework.value == "us_gaap"
    assert "US GAAP, annual statements" in str(result.summary.checklist_reason)
    assert result.findings and all(f.reference.startswith("ASC ") for f in result.findings)
    statuses = _by_id(result)
    assert "asc740-rate-reconciliation" in statuses  # income taxes in the statements, no note
    assert "asc235-policies" not in statuses  # the policies note is there


def test_us_gaap_disclosure_given_is_not_reported() -> None:
    result = _us_filing(
        "A reconciliation of the statutory federal income tax rate of 21% to our effective tax "
        "rate follows: state taxes 2.0%, foreign rate differential (1.5)%, effective rate 20.0%."
    )
    assert "asc740-rate-reconciliation" not in _by_id(result)


def test_framework_not_stated_means_no_checklist_said_plainly() -> None:
    b = DocBuilder().heading("Balance sheet at 31 December 2024").table(SOFP)
    result = disclosure.audit(read_document(b.bytes(), "bare.docx"))
    assert result.findings == [] and result.summary.requirements_checked == 0
    assert result.summary.checklist == "none"
    assert "does not state its accounting framework" in str(result.summary.checklist_reason)
    assert result.summary.scope is not None and result.summary.scope.framework.value == "unknown"


def test_ifrs_interim_report_gets_the_ias34_checklist() -> None:
    b = (
        DocBuilder()
        .heading("Condensed consolidated statement of financial position at 30 June 2024")
        .table(SOFP)
        .para(
            "These condensed interim financial statements have been prepared in accordance with "
            "IAS 34 Interim Financial Reporting."
        )
    )
    result = disclosure.audit(read_document(b.bytes(), "half-year.docx"))
    assert result.summary.checklist == "IAS 34 interim"
    assert all(f.standard == "IAS 34" for f in result.findings)
    statuses = _by_id(result)
    assert "ias34-compliance" not in statuses
    assert statuses["ias34-cash-flows"] is DisclosureStatus.missing


def test_statements_not_in_the_document_means_no_checklist() -> None:
    """A 10-K that incorporates its statements by reference lacks none of their notes."""
    b = DocBuilder().para(
        "The consolidated financial statements have been prepared in conformity with accounting "
        "principles generally accepted in the United States of America and for the year ended "
        "December 31, 2024 are incorporated herein by reference to Exhibit 13."
    )
    b.para("ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934")
    result = disclosure.audit(read_document(b.bytes(), "10k.docx"))
    assert result.summary.checklist == "none" and result.findings == []
    assert "no primary financial statement was found" in str(result.summary.checklist_reason)
