"""A small IFRS statement set (financial position, profit or loss, three paragraphs) as a Word
document, read and audited by the logic agent: the base the logic tests vary one thing of."""

from __future__ import annotations

from collections.abc import Sequence

from generated.models import LogicResult
from server.agents.logic import agent as logic
from server.ingest.reader import read_document
from tests.support.builders import DocBuilder

HEADER = ["In thousands of euros", "Note", "2024", "2023"]
SOFP = [
    ["Property, plant and equipment", "5", "5,000", "4,800"],
    ["Total non-current assets", "", "5,000", "4,800"],
    ["Inventories", "", "1,200", "1,100"],
    ["Trade receivables", "", "2,300", "2,000"],
    ["Cash and cash equivalents", "", "900", "700"],
    ["Total current assets", "", "4,400", "3,800"],
    ["Total assets", "", "9,400", "8,600"],
    ["Share capital", "", "1,000", "1,000"],
    ["Retained earnings", "", "4,400", "3,900"],
    ["Total equity", "", "5,400", "4,900"],
    ["Borrowings", "", "2,000", "2,100"],
    ["Total non-current liabilities", "", "2,000", "2,100"],
    ["Trade payables", "", "2,000", "1,600"],
    ["Total current liabilities", "", "2,000", "1,600"],
    ["Total liabilities", "", "4,000", "3,700"],
    ["Total equity and liabilities", "", "9,400", "8,600"],
]
PL = [
    ["Revenue", "", "12,400", "13,200"],
    ["Cost of sales", "", "(8,000)", "(8,500)"],
    ["Gross profit", "", "4,400", "4,700"],
    ["Administrative expenses", "", "(3,600)", "(3,500)"],
    ["Operating profit", "", "800", "1,200"],
    ["Finance costs", "", "(150)", "(160)"],
    ["Profit before tax", "", "650", "1,040"],
    ["Income tax expense", "", "(150)", "(260)"],
    ["Profit for the year", "", "500", "780"],
]
NARRATIVE = (
    "Revenue decreased by 6% to EUR 12.4 million (2023: EUR 13.2 million) and profit for the "
    "year was EUR 500 thousand (2023: EUR 780 thousand)."
)
GOING_CONCERN = "The financial statements have been prepared on a going concern basis."
AUTHORISED = (
    "The financial statements were authorised for issue by the Board of Directors on 12 March 2025."
)


def audit_set(
    *,
    sofp: Sequence[Sequence[str]] = SOFP,
    pl: Sequence[Sequence[str]] = PL,
    header: Sequence[str] = HEADER,
    paragraphs: Sequence[str] = (NARRATIVE, GOING_CONCERN, AUTHORISED),
) -> LogicResult:
    data = (
        DocBuilder()
        .heading("Statement of financial position as at 31 December 2024")
        .table([list(header), *[list(r) for r in sofp]])
        .heading("Statement of profit or loss for the year ended 31 December 2024")
        .table([list(header), *[list(r) for r in pl]])
        .heading("Notes to the financial statements")
    )
    for text in paragraphs:
        data.para(text)
    return logic.audit(read_document(data.bytes(), "set.docx"))


def replace_cell(rows: Sequence[Sequence[str]], label: str, col: int, text: str) -> list[list[str]]:
    out = [list(r) for r in rows]
    row = next(r for r in out if r[0] == label)
    row[col] = text
    return out


def loss_making() -> tuple[list[list[str]], list[list[str]]]:
    pl = [list(r) for r in PL]
    for label, cur in (("Administrative expenses", "(5,600)"), ("Operating profit", "(1,200)")):
        pl = replace_cell(pl, label, 2, cur)
    pl = replace_cell(pl, "Profit before tax", 2, "(1,350)")
    pl = replace_cell(pl, "Income tax expense", 2, "-")
    pl = replace_cell(pl, "Profit for the year", 2, "(1,350)")
    sofp = replace_cell(SOFP, "Trade payables", 2, "4,800")
    sofp = replace_cell(sofp, "Total current liabilities", 2, "4,800")
    return pl, sofp
