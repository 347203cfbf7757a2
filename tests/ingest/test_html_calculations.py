"""The calculation linkbase: read from a report package, checked, and compared with `structure`."""

from __future__ import annotations

import io
import zipfile

import pytest

from server.agents.numeric.calculations import calculation_results, structure_agreement
from server.errors import InvalidDocument
from server.ingest.html.calculations import concept_of, read_calculations
from server.ingest.reader import check_upload, read_document
from tests.support.html_filings import balance_sheet, filing

ROLE = "http://example.com/role/BalanceSheet"


def linkbase(arcs: list[tuple[str, str, float]], prohibited: list[tuple[str, str]] = ()) -> bytes:  # type: ignore[assignment]
    """A calculation linkbase as filing tools write it: locators and summation-item arcs."""
    concepts = sorted({c for arc in arcs for c in arc[:2]} | {c for p in prohibited for c in p})
    locs = "".join(
        f'<link:loc xlink:type="locator" xlink:label="loc_{c.replace(":", "_")}" '
        f'xlink:href="https://xbrl.fasb.org/us-gaap-2024.xsd#{c.replace(":", "_")}"/>'
        for c in concepts
    )
    arc_xml = "".join(
        f'<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item" '
        f'xlink:from="loc_{p.replace(":", "_")}" xlink:to="loc_{c.replace(":", "_")}" weight="{w}" order="{i}"/>'
        for i, (p, c, w) in enumerate(arcs)
    ) + "".join(
        f'<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item" '
        f'xlink:from="loc_{p.replace(":", "_")}" xlink:to="loc_{c.replace(":", "_")}" use="prohibited" priority="1"/>'
        for p, c in prohibited
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<link:calculationLink xlink:type="extended" xlink:role="{ROLE}">{locs}{arc_xml}</link:calculationLink>'
        "</link:linkbase>"
    ).encode()


TOTAL = "ko:CashCashEquivalentsAndShortTermInvestments"
CASH = "us-gaap:CashAndCashEquivalentsAtCarryingValue"
INVESTMENTS = "us-gaap:ShortTermInvestments"
SUMS = [(TOTAL, CASH, 1.0), (TOTAL, INVESTMENTS, 1.0)]


def package(html: bytes, cal: bytes | None, exhibit: bool = True) -> bytes:
    """An ESEF-style report package: the report under reports/, the linkbase in the extension."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ko-2024/META-INF/reportPackage.json", "{}")
        zf.writestr("ko-2024/reports/ko-20241231.htm", html)
        if exhibit:  # larger than the report, but not tagged: not the main document
            zf.writestr(
                "ko-2024/reports/ex-21.htm",
                "<html><body>" + "<p>Subsidiary</p>" * 5000 + "</body></html>",
            )
        if cal is not None:
            zf.writestr("ko-2024/www.coca-cola.com/ko-20241231_cal.xml", cal)
    return out.getvalue()


def test_linkbase_relationships_are_read_with_weights_and_prohibitions() -> None:
    cal = linkbase(
        SUMS + [("us-gaap:Assets", "us-gaap:Other", -1.0)], prohibited=[(TOTAL, "us-gaap:Gone")]
    )
    calcs = read_calculations(cal)
    by_parent = {c.parent: c for c in calcs}
    assert by_parent[TOTAL].items == [(CASH, 1.0), (INVESTMENTS, 1.0)]
    assert by_parent["us-gaap:Assets"].items == [("us-gaap:Other", -1.0)]
    assert all(c.role == ROLE for c in calcs)
    assert concept_of("https://x/us-gaap-2024.xsd#us-gaap_Assets") == "us-gaap:Assets"


def test_a_package_is_read_with_its_linkbase_and_the_check_passes_where_figures_add_up() -> None:
    data = package(filing(balance_sheet()), linkbase(SUMS))
    doc = read_document(data, "ko-2024.zip")
    assert doc.name == "ko-2024.zip" and doc.report_type == "10-K"
    assert len(doc.calculations) == 1
    results = calculation_results(doc)
    assert {(r.context, r.status) for r in results} == {
        ("i2024", "consistent"),
        ("i2023", "consistent"),
    }
    first = next(r for r in results if r.context == "i2024")
    assert first.actual == first.expected == 12_848e6
    assert first.tolerance == 1.5e6  # three figures rounded to millions
    assert first.location is not None and first.location[0] == "t1"


def test_a_total_that_does_not_add_up_is_inconsistent_beyond_the_rounding() -> None:
    planted = filing(balance_sheet().replace(">2,997<", ">3,000<"))
    doc = read_document(package(planted, linkbase(SUMS)), "ko-2024.zip")
    results = {r.context: r for r in calculation_results(doc)}
    assert results["i2024"].status == "consistent"
    wrong = results["i2023"]
    assert wrong.status == "inconsistent"
    assert wrong.difference == pytest.approx(-3e6)
    assert wrong.items == ((CASH, 1.0, 9_366e6), (INVESTMENTS, 1.0, 3_000e6))


def test_a_context_missing_an_item_is_a_counted_skip() -> None:
    cal = linkbase(SUMS + [(TOTAL, "us-gaap:RestrictedCash", 1.0)])
    doc = read_document(package(filing(balance_sheet()), cal), "ko-2024.zip")
    assert {(r.status, r.reason) for r in calculation_results(doc)} == {("skipped", "incomplete")}


def test_agreement_with_the_inferred_totals() -> None:
    doc = read_document(package(filing(balance_sheet()), linkbase(SUMS)), "ko-2024.zip")
    agreement = structure_agreement(doc)
    assert agreement.as_dict()["agree"] == 1
    # A relationship whose total row sums other rows than inferred is a disagreement.
    doc.calculations[0].items = [(CASH, 1.0), ("us-gaap:TreasuryStockValue", 1.0)]
    assert structure_agreement(doc).disagree == 1


def test_package_without_linkbase_reads_and_has_no_calculations() -> None:
    doc = read_document(package(filing(balance_sheet()), None), "ko.zip")
    assert doc.calculations == [] and calculation_results(doc) == []


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (_zip({"notes.txt": b"hello"}), "without an HTML report"),
        (b"<html></html>", "not a zip archive"),
        (b"PK\x03\x04 truncated", "damaged or truncated"),
    ],
)
def test_bad_packages_are_invalid_with_a_clear_message(data: bytes, says: str) -> None:
    with pytest.raises(InvalidDocument) as exc:
        check_upload(data, "package.zip")
    assert says in exc.value.message


def test_a_malformed_linkbase_in_a_package_is_invalid() -> None:
    with pytest.raises(InvalidDocument) as exc:
        read_document(package(filing(balance_sheet()), b"<link:linkbase"), "ko.zip")
    assert "linkbase" in exc.value.message
