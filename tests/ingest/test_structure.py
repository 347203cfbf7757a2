"""Structure inference: which rows are totals and what they sum, confirmed by the figures."""

from __future__ import annotations

from bench.numeric.shapes import table_from_grid
from server.ingest.document import RowKind, Table
from server.ingest.structure import infer_column_structure, infer_structure


def _rows(table: Table) -> dict[str, tuple[RowKind, list[tuple[int, int]]]]:
    return {r.label: (r.kind, r.components) for r in table.rows if r.label}


def test_income_statement_running_totals() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Revenue", "10,000", "9,000"],
            ["Cost of sales", "(6,000)", "(5,500)"],
            ["Gross profit", "4,000", "3,500"],
            ["Administrative expenses", "(1,200)", "(1,100)"],
            ["Other income", "100", "50"],
            ["Operating profit", "2,900", "2,450"],
            ["Finance costs", "(300)", "(280)"],
            ["Profit before tax", "2,600", "2,170"],
            ["Income tax expense", "(650)", "(540)"],
            ["Profit for the year", "1,950", "1,630"],
        ],
    )
    rows = _rows(table)
    assert rows["Gross profit"] == (RowKind.SUBTOTAL, [(0, 1), (1, 1)])
    assert rows["Operating profit"] == (RowKind.SUBTOTAL, [(2, 1), (3, 1), (4, 1)])
    assert rows["Profit before tax"] == (RowKind.SUBTOTAL, [(5, 1), (6, 1)])
    assert rows["Profit for the year"] == (RowKind.TOTAL, [(7, 1), (8, 1)])
    assert rows["Revenue"] == (RowKind.ITEM, [])


def test_expenses_printed_positive_are_subtracted() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Revenue", "10,000", "9,000"],
            ["Cost of sales", "6,000", "5,500"],
            ["Gross profit", "4,000", "3,500"],
            ["Administrative expenses", "1,200", "1,100"],
            ["Operating profit", "2,800", "2,400"],
        ],
    )
    rows = _rows(table)
    assert rows["Gross profit"][1] == [(0, 1), (1, -1)]
    assert rows["Operating profit"][1] == [(2, 1), (3, -1)]


def test_balance_sheet_totals_of_subtotals_across_headings() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["ASSETS", "", ""],
            ["Non-current assets", "", ""],
            ["Property, plant and equipment", "5,000", "4,800"],
            ["Intangible assets", "1,000", "1,100"],
            ["Total non-current assets", "6,000", "5,900"],
            ["", "", ""],
            ["Current assets", "", ""],
            ["Inventories", "800", "700"],
            ["Cash and cash equivalents", "500", "400"],
            ["", "1,300", "1,100"],
            ["TOTAL ASSETS", "7,300", "7,000"],
        ],
    )
    rows = {r.index: (r.kind, r.components) for r in table.rows}
    assert rows[4] == (RowKind.SUBTOTAL, [(2, 1), (3, 1)])
    assert rows[9] == (RowKind.SUBTOTAL, [(7, 1), (8, 1)])  # the unlabelled total
    assert rows[10] == (RowKind.TOTAL, [(4, 1), (9, 1)])
    assert rows[0][0] is RowKind.HEADING and rows[5][0] is RowKind.SPACER


def test_a_total_broken_in_one_year_keeps_the_structure_the_other_year_confirms() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Current assets", "", ""],
            ["Inventories", "800", "700"],
            ["Trade receivables", "1,200", "1,100"],
            ["Cash", "500", "400"],
            ["Total current assets", "2,600", "2,200"],
        ],
    )
    assert _rows(table)["Total current assets"] == (RowKind.TOTAL, [(1, 1), (2, 1), (3, 1)])


def test_a_total_nothing_explains_is_left_empty() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Inventories", "800", "700"],
            ["Trade receivables", "1,200", "1,100"],
            ["Total current assets", "2,900", "2,600"],
        ],
    )
    assert _rows(table)["Total current assets"] == (RowKind.TOTAL, [])


def test_two_blocks_explaining_different_years_is_unknown() -> None:
    # 2024: total = A + B; 2023: total = B alone (A is not nil): no single explanation.
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Heading", "", ""],
            ["A", "100", "40"],
            ["B", "200", "300"],
            ["Total", "300", "300"],
        ],
    )
    assert _rows(table)["Total"][1] == []


def test_single_column_total_over_a_clean_block_is_accepted_unconfirmed() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024"],
            ["Fees", ""],
            ["Audit", "100"],
            ["Tax advice", "50"],
            ["Total", "160"],
        ],
    )
    assert _rows(table)["Total"][1] == [(1, 1), (2, 1)]


def test_position_only_candidate_needs_every_column_to_agree() -> None:
    grid = [
        ["", "2024", "2023"],
        ["Interest on deposits", "194", "370"],
        ["Exchange gain", "129", "246"],
        ["Finance income", "323", "616"],
        ["", "", ""],
    ]
    assert _rows(table_from_grid("t1", grid))["Finance income"] == (RowKind.TOTAL, [(0, 1), (1, 1)])
    grid[3][2] = "620"  # now only 2024 agrees, and the label does not say "total"
    assert _rows(table_from_grid("t1", grid))["Finance income"] == (RowKind.ITEM, [])


def test_carrying_amount_is_cost_less_accumulated_depreciation() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "Land", "Plant", "Work in progress", "Total"],
            ["Cost", "", "", "", ""],
            ["At 1 January 2024", "3,830", "269,606", "11,085", "284,521"],
            ["Additions", "-", "-", "39,968", "39,968"],
            ["Transfers", "-", "8,622", "(8,622)", "-"],
            ["At 31 December 2024", "3,830", "278,228", "42,431", "324,489"],
            ["", "", "", "", ""],
            ["Accumulated depreciation", "", "", "", ""],
            ["At 1 January 2024", "1,234", "164,722", "-", "165,956"],
            ["Charge for the year", "74", "21,519", "-", "21,593"],
            ["At 31 December 2024", "1,308", "186,241", "-", "187,549"],
            ["", "", "", "", ""],
            ["Carrying amount at 31 December 2024", "2,522", "91,987", "42,431", "136,940"],
        ],
    )
    carrying = table.rows[11]
    assert carrying.components == [(4, 1), (9, -1)]
    assert infer_column_structure(table) == {4: [(1, 1), (2, 1), (3, 1)]}


def test_one_agreeing_column_with_a_nil_part_is_not_evidence() -> None:
    # Only the work-in-progress column "adds up" cost + depreciation, because its depreciation
    # is nil: the other columns disagree, so the structure is unknown rather than broken.
    table = table_from_grid(
        "t1",
        [
            ["", "Land", "Plant", "Work in progress"],
            ["Cost at 31 December 2024", "3,830", "278,228", "42,431"],
            ["Depreciation at 31 December 2024", "1,308", "186,241", "-"],
            ["Balance at 31 December 2024", "2,522", "91,987", "42,431"],
        ],
    )
    assert table.rows[2].components == []


def test_changes_in_equity_rolls_forward_in_every_component_column() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "Share capital", "Retained earnings", "Total equity"],
            ["Balance at 1 January 2024", "10,000", "219,091", "229,091"],
            ["Profit for the year", "-", "49,455", "49,455"],
            ["Other comprehensive income", "-", "(455)", "(455)"],
            ["Total comprehensive income for the year", "-", "49,000", "49,000"],
            ["Dividends", "-", "(5,811)", "(5,811)"],
            ["Balance at 31 December 2024", "10,000", "262,280", "272,280"],
        ],
    )
    rows = _rows(table)
    assert rows["Total comprehensive income for the year"][1] == [(1, 1), (2, 1)]
    assert rows["Balance at 31 December 2024"][1] == [(0, 1), (3, 1), (4, 1)]
    assert infer_column_structure(table) == {3: [(1, 1), (2, 1)]}


def test_infer_structure_is_idempotent() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Revenue", "10,000", "9,000"],
            ["Cost of sales", "(6,000)", "(5,500)"],
            ["Gross profit", "4,000", "3,500"],
        ],
    )
    before = [(r.kind, list(r.components)) for r in table.rows]
    infer_structure(table)
    assert [(r.kind, r.components) for r in table.rows] == before


def test_single_column_roll_forward_from_opening_to_closing_is_accepted() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "Right-of-use leases"],
            ["Cost", ""],
            ["As at 1 April 2023", "154,180"],
            ["Disposals", "(514,180)"],
            ["As at 31 March 2024", "-"],
        ],
    )
    assert table.rows[3].components == [(1, 1), (2, 1)]


def test_fees_and_operating_expenses_printed_positive_are_deducted() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Gross trading income", "800,775", "577,097"],
            ["Fees related to the trading activities", "129,758", "98,591"],
            ["Net financial expenses", "203,223", "178,195"],
            ["Net trading income", "467,794", "300,311"],
            ["Other income", "11,525", "3,565"],
            ["Total income", "479,319", "303,876"],
            ["Employee expenses", "166,918", "133,950"],
            ["Other expenses", "112,736", "118,457"],
            ["Operating expenses", "279,654", "252,407"],
            ["Operating result", "199,665", "51,469"],
        ],
    )
    rows = _rows(table)
    assert rows["Net trading income"][1] == [(0, 1), (1, -1), (2, -1)]
    assert rows["Operating expenses"][1] == [(6, 1), (7, 1)]
    assert rows["Operating result"][1] == [(5, 1), (8, -1)]


def test_of_which_lines_and_rates_are_never_components() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Trade receivables", "100", "90"],
            ["of which past due", "-", "10"],
            ["Other receivables", "50", "40"],
            ["Effective interest rate", "4.5%", "4.0%"],
            ["Total", "150", "130"],
        ],
    )
    assert _rows(table)["Total"][1] == [(0, 1), (2, 1)]


def test_a_flipped_sign_on_a_balance_line_is_not_read_as_a_deduction() -> None:
    # Only the printed signs explain 2024; "less" signs would explain the flipped 2023 figure,
    # but a payable is a balance, never a deduction: the structure stands and 2023 is wrong.
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Wages payable", "45,472", "46,267"],
            ["Wage tax payable", "1,756", "(969)"],
            ["Creditors and accruals", "24,046", "17,155"],
            ["Subtotal current liabilities", "71,274", "64,391"],
        ],
    )
    assert _rows(table)["Subtotal current liabilities"][1] == [(0, 1), (1, 1), (2, 1)]


def test_a_label_that_states_its_sign_is_never_flipped() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Loss before income tax", "(17,735,618)", "(21,434,456)"],
            ["Tax credit/(charge)", "1,615,430", "(2,865,865)"],
            ["Loss for the year", "(16,120,188)", "(18,568,591)"],
        ],
    )
    assert _rows(table)["Loss for the year"][1] == [(0, 1), (1, 1)]
