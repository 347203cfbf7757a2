"""Structure inference: which rows are totals and what they sum, confirmed by the figures."""

from __future__ import annotations

from bench.numeric.shapes import table_from_grid
from server.ingest.document import Document, DocumentKind, Fact, RowKind, Table
from server.ingest.structure import infer_document_structure, infer_structure


def _rows(table: Table) -> dict[str, tuple[RowKind, list[tuple[int, int]]]]:
    return {r.label: (r.kind, r.components) for r in table.rows if r.label}


def _column_totals(table: Table) -> dict[int, list[tuple[int, int]]]:
    return {c.index: c.components for c in table.columns if c.components}


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
    assert _column_totals(table) == {4: [(1, 1), (2, 1), (3, 1)]}


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
    assert _column_totals(table) == {3: [(1, 1), (2, 1)]}


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


# ---------------------------------------------------------------- precision rules (issue 14)


def test_columns_of_prices_averages_lives_and_share_counts_never_add_up() -> None:
    table = table_from_grid(
        "t1",
        [
            [
                "",
                "Total Number of Shares Purchased",
                "Average Price Paid per Share",
                "Weighted Average Remaining Useful Life (Years)",
                "Amount",
            ],
            ["October", "1,000", "138.33", "8.4", "138"],
            ["November", "2,000", "142.24", "5.4", "284"],
            ["December", "3,000", "181.13", "2.6", "543"],
            ["Total", "6,000", "169.94", "7.2", "965"],
        ],
    )
    assert [c.additive for c in table.columns] == [True, False, False, False, True]
    # The total is explained by the amount column alone; the others are never parts.
    assert table.rows[3].components == [(0, 1), (1, 1), (2, 1)]


def test_a_column_with_its_percent_sign_on_the_first_figure_only_is_percentages() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "Change"],
            ["Consumer", "100", "7.1 %"],
            ["Business", "50", "(4.8)"],
            ["Total", "150", "0.1"],
        ],
    )
    assert [c.additive for c in table.columns] == [True, True, False]


def test_per_share_figures_and_counts_are_not_lines_of_a_sum() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024"],
            ["Number of shares of common stock of the combined company", "16,500,000"],
            ["Multiplied by the share price, as of the Closing", "$10.84"],
            ["Total", "$178,860"],
            ["Fair value of contingent consideration", "125,699"],
            ["Replacement of share-based payment awards", "10,648"],
            ["Assumed liabilities", "125"],
            ["Total purchase price", "$315,332"],
            ["Dividends declared ($0.50 per share)", "1,200"],
        ],
    )
    assert [r.additive for r in table.rows] == [False, False, True, True, True, True, True, True]
    assert table.rows[2].components == []  # shares times price: never a sum
    assert table.rows[6].components == [(2, 1), (3, 1), (4, 1), (5, 1)]


def test_the_printed_unit_comes_from_the_printed_text() -> None:
    table = table_from_grid(
        "t1",
        [["", "2024"], ["A", "3.0"], ["B", "1,234"], ["C", "12.45"], ["D", "-"], ["E", "0.0"]],
    )
    assert [r.cells[1].unit for r in table.rows] == [0.1, 1.0, 0.01, None, 0.1]


def test_a_tag_with_coarser_decimals_widens_the_unit() -> None:
    table = table_from_grid("t1", [["", "2024"], ["Revenue", "3.0"]], scale_label="millions")
    cell = table.rows[0].cells[1]
    cell.fact = Fact(concept="us-gaap:Revenues", context="c", value=3e6, decimals=-6, scale=6)
    infer_structure(table)
    assert cell.unit == 1.0


def test_a_single_line_section_is_its_own_subtotal() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2023", "2022"],
            ["Cash flows from operating activities", "", ""],
            ["Net loss", "(21,000)", "(27,000)"],
            ["Other", "(745)", "(130)"],
            ["Net cash used in operating activities", "(21,745)", "(27,130)"],
            ["Cash flows from investing activities", "", ""],
            ["Purchases of property and equipment", "-", "(297)"],
            ["Net cash used in investing activities", "-", "(297)"],
            ["Cash flows from financing activities", "", ""],
            ["Proceeds from issuance of notes", "14,000", "44,500"],
            ["Net cash provided by financing activities", "14,000", "44,500"],
            ["Net (decrease) increase in cash", "(7,745)", "17,073"],
        ],
    )
    rows = {r.index: r.components for r in table.rows}
    assert rows[6] == [(5, 1)]
    # The net change sums the three section totals, never the investing line twice.
    assert rows[10] == [(3, 1), (6, 1), (9, 1)]


def test_one_row_that_merely_comes_close_is_not_a_total() -> None:
    # Small figures: 7 is within one unit of 8, but a total of one line prints that line.
    table = table_from_grid(
        "t1",
        [
            ["", "Equity", "Other", "Total"],
            ["Balance at beginning of year", "27", "300", "357"],
            ["Actual return on plan assets", "1", "8", "7"],
            ["", "", "", ""],
            ["Purchases, sales and settlements - net", "-", "7", "6"],
        ],
    )
    assert table.rows[3].components == []


def test_a_structure_failing_in_several_columns_is_not_the_structure() -> None:
    # Segment columns: revenue less costs explains some segments by coincidence (the charges
    # line is nil there) and fails in several others: the rows do not sum.
    table = table_from_grid(
        "t1",
        [
            ["", "EMEA", "Latin America", "North America", "Asia", "Corporate"],
            ["Net operating revenues", "8,122", "6,459", "18,649", "5,546", "97"],
            ["Cost of goods sold", "1,763", "1,099", "9,595", "1,665", "(253)"],
            ["Selling, general and administrative", "2,234", "1,454", "3,958", "1,733", "2,325"],
            ["Other items", "-", "126", "760", "-", "3,277"],
            ["Operating income (loss)", "4,125", "3,700", "5,856", "2,148", "(4,000)"],
        ],
    )
    assert table.rows[4].components == []


def test_us_gaap_results_are_totals_and_other_charges_are_deducted() -> None:
    table = table_from_grid(
        "t1",
        [
            ["", "2024", "2023"],
            ["Net operating revenues", "47,061", "45,754"],
            ["Cost of goods sold", "18,324", "18,520"],
            ["Gross profit", "28,737", "27,234"],
            ["Selling, general and administrative expenses", "14,582", "13,972"],
            ["Other operating charges", "4,163", "1,951"],
            ["Operating income", "9,992", "11,311"],
            ["Interest income", "988", "907"],
            ["Interest expense", "1,656", "1,527"],
            ["Income before income taxes", "9,324", "10,691"],
            ["Income taxes", "2,000", "2,100"],
            ["Net income", "7,324", "8,591"],
        ],
    )
    rows = _rows(table)
    assert rows["Operating income"][1] == [(2, 1), (3, -1), (4, -1)]
    assert rows["Income before income taxes"][1] == [(5, 1), (6, 1), (7, -1)]


def test_the_block_closest_to_the_printed_total_is_chosen() -> None:
    # Both blocks (with and without the common stock line of 1) fit within rounding; only the
    # full block adds up exactly, so the common stock is a part.
    table = table_from_grid(
        "t1",
        [
            ["", "2025", "2024"],
            ["Stockholders' equity:", "", ""],
            ["Preferred stock", "0", "0"],
            ["Common stock", "1", "1"],
            ["", "", ""],
            ["Treasury stock, at cost", "(19,507)", "(11,692)"],
            ["Additional paid-in capital", "64,576", "59,841"],
            ["Accumulated other comprehensive loss", "(266)", "(225)"],
            ["Retained earnings", "16,369", "11,721"],
            ["Total stockholders' equity", "61,173", "59,646"],
        ],
    )
    assert table.rows[2].components == []  # 1 is not a total of 0
    assert [i for i, _ in table.rows[8].components] == [1, 2, 4, 5, 6, 7]


def test_a_continued_table_borrows_the_parts_of_its_first_part() -> None:
    first = table_from_grid(
        "t1", [["", "2024", "2023"], ["Raw materials", "300", "250"], ["Staff", "80", "57"]]
    )
    rest = table_from_grid(
        "t2", [["", "2024", "2023"], ["Transport", "46", "35"], ["TOTAL EXPENSES", "426", "342"]]
    )
    rest.continued_from = "t1"
    document = Document(name="d.docx", kind=DocumentKind.DOCX, blocks=[first, rest])
    infer_document_structure(document)
    assert rest.rows[1].chain_components == [("t1", 0, 1), ("t1", 1, 1), ("t2", 0, 1)]


def test_lines_under_a_per_share_heading_and_figures_in_cents_are_no_parts() -> None:
    # An EPS reconciliation: the profit and the share count under "Basic earnings per share",
    # and the EPS itself, never make a total of the profit line below.
    table = table_from_grid(
        "t1",
        [
            ["", "2022", "2021", "2020"],
            ["Basic earnings per common share:", "", "", ""],
            ["Net income attributable to common shareholders", "2,363", "1,012", "356"],
            ["Weighted average shares outstanding", "1,226", "1,224", "1,223"],
            ["Net earnings", "1.93", "0.83", "0.29"],
            ["Diluted earnings per common share:", "", "", ""],
            ["Net income attributable to common shareholders", "2,363", "1,012", "356"],
        ],
        scale_label="millions",
    )
    assert all(not r.additive for r in table.rows if r.label.startswith(("Net", "Weighted")))
    assert all(not r.components for r in table.rows)
    income = table_from_grid(
        "t2",
        [
            ["", "2022", "2021"],
            ["Net income", "1,316", "1,906"],
            ["Other line", "10", "20"],
            ["Basic", "1.56", "1.30"],
        ],
        scale_label="millions",
    )
    assert [r.additive for r in income.rows] == [True, True, False]


def test_a_balance_end_of_period_closes_its_section() -> None:
    # A stacked changes-in-equity statement: each component closes with "Balance, end of
    # period"; the last one sits directly above the total and must still be a subtotal.
    table = table_from_grid(
        "t1",
        [
            ["", "2021", "2020"],
            ["Common stock", "", ""],
            ["Balance, beginning of period", "12", "12"],
            ["Issuance of common stock", "-", "-"],
            ["Balance, end of period", "12", "12"],
            ["Accumulated other comprehensive income (loss)", "", ""],
            ["Balance, beginning of period", "17", "-"],
            ["Other comprehensive income (loss)", "(20)", "17"],
            ["Balance, end of period", "(3)", "17"],
            ["Total stockholders' equity", "9", "29"],
        ],
        scale_label="millions",
    )
    rows = table.rows
    assert rows[7].kind is RowKind.SUBTOTAL and rows[7].components == [(5, 1), (6, 1)]
    assert rows[8].components == [(3, 1), (7, 1)]


def test_a_block_holding_a_total_of_its_own_is_not_a_block_of_items() -> None:
    # One amount column (the others are rates and lives): a "Total" over items and a
    # "November 2022 total" is not accepted as printed.
    table = table_from_grid(
        "t1",
        [
            ["", "Interest rate %", "Life (years)", "Principal"],
            ["Class A notes", "5.0", "1.99", "267"],
            ["Class C notes", "5.7", "1.99", "41"],
            ["November 2022 total", "", "", "932"],
            ["Total", "", "", "4,485"],
        ],
        scale_label="millions",
    )
    assert table.rows[3].components == []


def test_a_row_labelled_by_a_figure_is_no_part() -> None:
    # A PDF row whose figure fell into the label column: "(20)" with its own cell blank.
    table = table_from_grid(
        "t1",
        [
            ["", "A", "B"],
            ["Total before tax", "81", "53"],
            ["(20)", "", "(1)"],
            ["Net of tax", "61", "52"],
        ],
        scale_label="millions",
    )
    assert not table.rows[1].additive
    assert table.rows[2].components == []
    # Years and item numbers label real rows.
    years = table_from_grid(
        "t2", [["", "Amount"], ["2020", "(3,056)"], ["2021", "(1,000)"], ["Total", "(4,056)"]]
    )
    assert years.rows[2].components == [(0, 1), (1, 1)]


def test_a_block_nearer_the_total_wins_over_one_adding_only_blank_rows() -> None:
    # A 10-Q balance sheet: convertible preferred stock sits above the equity heading, nil this
    # quarter. With a misprinted comparative, the equity total still sums the equity lines.
    table = table_from_grid(
        "t1",
        [
            ["", "2023", "2022"],
            ["Commitments and contingencies", "", ""],
            ["Convertible preferred stock", "-", "137,949"],
            ["Stockholders' deficit:", "", ""],
            ["Class A common stock", "4", "14"],
            ["Additional paid-in capital", "362,114", "192,968"],
            ["Subscription receivables", "(60,710)", "-"],
            ["Accumulated deficit", "(423,148)", "(474,839)"],
            ["Total stockholders' deficit", "(121,740)", "(287,500)"],
        ],
    )
    assert table.rows[7].components == [(3, 1), (4, 1), (5, 1), (6, 1)]
