"""Framework and period read from what a document says about itself (server/ingest/scope.py):
a statement of compliance, the SEC cover page, the dei tags, the statements' headings; unknown
when nothing says or the evidence conflicts."""

from __future__ import annotations

from server.ingest.document import Document, DocumentKind, Framework, Paragraph, PeriodKind
from server.ingest.reader import read_document
from server.ingest.scope import describe, detect
from tests.support.builders import DocBuilder

SOFP = [
    ["In thousands", "2024", "2023"],
    ["Cash", "900", "700"],
    ["Total assets", "5,900", "5,500"],
]


def _text_document(*paragraphs: str, report_type: str | None = None) -> Document:
    doc = Document(name="x.txt", kind=DocumentKind.TEXT, report_type=report_type)
    doc.blocks = [Paragraph(id=f"p{i}", index=i, text=t) for i, t in enumerate(paragraphs, 1)]
    return doc


def test_ifrs_annual_statements_read_as_docx() -> None:
    data = (
        DocBuilder()
        .heading("Statement of profit or loss for the year ended 31 December 2024")
        .table([["In thousands of euros", "2024", "2023"], ["Revenue", "900", "700"]])
        .heading("Basis of preparation", 2)
        .para(
            "The financial statements have been prepared in accordance with IFRS Accounting "
            "Standards as issued by the International Accounting Standards Board."
        )
    )
    doc = read_document(data.bytes(), "set.docx")
    assert doc.framework is Framework.IFRS and doc.period_kind is PeriodKind.ANNUAL
    assert "states compliance with IFRS" in doc.framework_evidence[0]
    assert describe(detect(doc)) == "IFRS, annual statements"


def test_us_gaap_10q_cover_page() -> None:
    doc = _text_document(
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION",
        "FORM 10-Q",
        "☒ QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
        "For the quarterly period ended September 30, 2024",
        "☐ TRANSITION REPORT PURSUANT TO SECTION 13 OR 15(d)",
        "The condensed consolidated financial statements have been prepared in conformity with "
        "accounting principles generally accepted in the United States of America.",
        "These statements should be read together with the consolidated financial statements "
        "for the year ended December 31, 2023 in our Annual Report on Form 10-K.",
    )
    scope = detect(doc)
    assert scope.framework is Framework.US_GAAP
    assert scope.period is PeriodKind.INTERIM, scope.period_evidence


def test_annual_report_box_left_empty_is_not_evidence() -> None:
    doc = _text_document(
        "☐ ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
        "☒ QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
    )
    assert detect(doc).period is PeriodKind.INTERIM


def test_dei_tags_decide_a_10k() -> None:
    doc = _text_document("Our business.", report_type="10-K")
    doc.fiscal_period = "FY"
    scope = detect(doc)
    assert (scope.framework, scope.period) == (Framework.US_GAAP, PeriodKind.ANNUAL)


def test_nothing_said_is_unknown_and_says_why() -> None:
    doc = _text_document("Revenue rose by 4% in the year.", "The board met four times.")
    scope = detect(doc)
    assert scope.framework is None and scope.period is None
    assert "nothing in the document states the accounting framework" in scope.framework_evidence
    assert describe(scope) == "framework not stated, period not stated"


def test_a_reconciliation_to_the_other_framework_is_not_compliance() -> None:
    """A foreign issuer explaining how US GAAP differs states nothing about its own framework,
    and a sentence naming both frameworks counts for neither."""
    doc = _text_document(
        "Our accounting policies differ from US GAAP in the following respects.",
        "We prepare statements in accordance with both US GAAP and IFRS for different users.",
    )
    assert detect(doc).framework is None


def test_conflicting_statements_of_compliance_are_unknown() -> None:
    doc = _text_document(
        "The financial statements are prepared in accordance with IFRS as issued by the IASB.",
        "The financial statements are prepared in conformity with accounting principles "
        "generally accepted in the United States.",
    )
    scope = detect(doc)
    assert scope.framework is None
    assert "conflicting evidence" in scope.framework_evidence[0]


def test_ias34_interim_statements() -> None:
    data = (
        DocBuilder()
        .heading("Condensed consolidated statement of financial position at 30 June 2024")
        .table(SOFP)
        .para(
            "These condensed interim financial statements have been prepared in accordance with "
            "IAS 34 Interim Financial Reporting as adopted by the European Union."
        )
    )
    doc = read_document(data.bytes(), "half-year.docx")
    assert doc.framework is Framework.IFRS
    assert doc.period_kind is PeriodKind.INTERIM
