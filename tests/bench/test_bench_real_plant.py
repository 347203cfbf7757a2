"""Planting errors into inline-XBRL filings (bench/real/plant.py), on a synthetic 10-K.

The fixture tests/bench/real_corpus/html/northwind-10-k-2024.html is an invented company's
statements, tagged as SEC filings tag them: figures in `ix:nonFraction` with a scale, parentheses
printed around some of them, `sign="-"` on others, one fact without a format, a hidden fact and a
note with dimensional contexts. Every expected text and value below is written out by hand.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from bench.real import ixbrl, plant
from bench.real.ixbrl import Fact
from server.ingest.document import Cell, Column, ColumnRole, Document, DocumentKind, Row, Table

CORPUS = Path(__file__).with_name("real_corpus")
FILING = CORPUS / "html" / "northwind-10-k-2024.html"
IX = "{http://www.xbrl.org/2013/inlineXBRL}"


@pytest.fixture(scope="module")
def data() -> bytes:
    return FILING.read_bytes()


@pytest.fixture(scope="module")
def found(data: bytes) -> dict[str, Fact]:
    return {f.id: f for f in ixbrl.facts(data)}


def _element(data: bytes, fact_id: str) -> etree._Element:
    tree = ixbrl.parse(data)
    (el,) = tree.getroot().iterfind(f".//{IX}nonFraction[@id='{fact_id}']")
    return el


def _changed_span(before: bytes, after: bytes) -> bytes:
    """The bytes of `before` that were replaced: everything between common prefix and suffix."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(before), len(after)) - prefix and before[-1 - suffix] == after[-1 - suffix]
    ):
        suffix += 1
    return before[prefix : len(before) - suffix]


CASES = [
    # kind, fact id, new element text, new printed figure, sign attribute after, tag value after
    ("line_item", "f-1", "5,150", "5,150", None, 5_150e6),
    ("broken_subtotal", "f-31", "2,369", "2,369", None, 2_369e6),
    ("changed_comparative", "f-2", "4,120", "4,120", None, 4_120e6),
    ("transposed_digits", "f-45", "5,200", "5,200", None, 5_200e6),
    ("sign_flip", "f-1", "5,000", "(5,000)", "-", -5_000e6),
    ("sign_flip", "f-3", "3,000", "3,000", "-", -3_000e6),
    ("sign_flip", "f-65", "450", "450", None, 450e6),
    ("scale_x1000", "f-53", "250000", "250000", None, 250_000e6),
    ("scale_x1000", "f-29", "500,000", "500,000", None, 500_000e6),
]


@pytest.mark.parametrize(("kind", "fact_id", "text", "display", "sign", "value"), CASES)
def test_plant_changes_the_tag_and_the_printed_figure_together(
    data: bytes,
    found: dict[str, Fact],
    kind: str,
    fact_id: str,
    text: str,
    display: str,
    sign: str | None,
    value: float,
) -> None:
    planted, truth = plant.plant(data, FILING.name, found[fact_id], kind)
    el = _element(planted, fact_id)  # still well-formed XHTML, the element still there
    assert el.text == text
    assert el.get("sign") == sign
    assert el.get("name") == found[fact_id].concept
    assert el.get("contextRef") == found[fact_id].context
    printed = "".join(el.getparent().itertext())
    assert printed == display  # what a reader sees in the cell
    assert (truth.new_text, truth.new_display, truth.new_value) == (text, display, value)
    assert (truth.concept, truth.context) == (found[fact_id].concept, found[fact_id].context)
    # Nothing else changed: the other facts read the same, and the edit stays inside the cell.
    after = {f.id: f for f in ixbrl.facts(planted)}
    assert {k: v for k, v in after.items() if k != fact_id} == {
        k: v for k, v in found.items() if k != fact_id
    }
    assert after[fact_id].text == text
    assert b"<td" not in _changed_span(data, planted)


def test_sign_flip_of_a_printed_negative_removes_its_parentheses(
    data: bytes, found: dict[str, Fact]
) -> None:
    planted, truth = plant.plant(data, FILING.name, found["f-3"], "sign_flip")
    assert (truth.old_display, truth.new_display) == ("(3,000)", "3,000")
    assert (truth.old_value, truth.new_value) == (3_000e6, -3_000e6)
    assert b">3,000</ix:nonFraction></span>" in planted


def test_sites_are_undimensioned_money_of_the_primary_statements(found: dict[str, Fact]) -> None:
    facts = list(found.values())
    by_kind = {kind: {f.id for f in plant.sites(facts, kind)} for kind in plant.KINDS}
    # current-period line items of the three statements, never totals, balances or supplements
    assert {"f-1", "f-3", "f-25", "f-53", "f-63"} <= by_kind["line_item"]
    assert not by_kind["line_item"] & {"f-2", "f-5", "f-31", "f-61", "f-75", "f-77", "f-79"}
    assert by_kind["broken_subtotal"] == {
        "f-5", "f-11", "f-15", "f-19", "f-31", "f-35", "f-41", "f-47", "f-49",
        "f-61", "f-65", "f-71", "f-73",
    }  # fmt: skip
    assert "f-2" in by_kind["changed_comparative"] and "f-1" not in by_kind["changed_comparative"]
    everything = set().union(*by_kind.values())
    assert not everything & {"f-21", "f-23"}  # earnings per share: not money
    assert not everything & {"f-83", "f-84", "f-85", "f-86", "f-87", "f-88"}  # the note
    assert "h-2" not in everything  # hidden in ix:header
    assert "f-89" not in everything  # a fair value quoted in the row label


def test_sites_are_drawn_the_same_way_for_the_same_seed(found: dict[str, Fact]) -> None:
    facts = list(found.values())
    first = plant.choose(facts, "line_item", FILING.name, 3, seed=1)
    assert first == plant.choose(facts, "line_item", FILING.name, 3, seed=1)
    assert len(first) == 3
    draws = {
        tuple(f.id for f in plant.choose(facts, "line_item", FILING.name, 3, s)) for s in range(6)
    }
    assert len(draws) > 1


def test_a_fact_the_source_does_not_hold_is_refused(data: bytes, found: dict[str, Fact]) -> None:
    stale = replace(found["f-1"], text="9,999")
    with pytest.raises(plant.PlantError, match="not '9,999'"):
        plant.plant(data, FILING.name, stale, "line_item")


def _document(label: str, text: str) -> Document:
    cells = [Cell(label), Cell("5,000", 5000.0), Cell(text)]
    columns = [
        Column(0, "", ColumnRole.LABEL),
        Column(1, "2023", ColumnRole.AMOUNT),
        Column(2, "2024", ColumnRole.AMOUNT),
    ]
    table = Table("t1", 0, columns, [Row(0, "Other", [Cell("Other")]), Row(1, label, cells)])
    return Document(name="x.html", kind=DocumentKind.TEXT, blocks=[table])


def test_a_finding_catches_a_plant_by_its_cell_or_its_concept(
    data: bytes, found: dict[str, Fact]
) -> None:
    _, truth = plant.plant(data, FILING.name, found["f-1"], "sign_flip")
    targets = plant.resolve(truth, _document("Revenue", "$ (5,000)"))
    assert targets.tables == {"t1"} and targets.rows == {("t1", 1)}
    on_row = {"locations": [{"table": "t1", "cells": [{"row": 1, "column": 2}]}]}
    on_table = {"locations": [{"table": "t1", "cells": [{"row": 0, "column": 2}]}]}
    elsewhere = {"locations": [{"table": "t2"}], "title": "Cost of sales does not add up"}
    by_concept = {"locations": [], "description": "us-gaap:Revenues differs from its note"}
    assert plant.catches(on_row, targets) == (True, True)
    assert plant.catches(on_table, targets) == (True, False)
    assert plant.catches(elsewhere, targets) == (False, False)
    assert plant.catches(by_concept, targets) == (True, False)
    assert plant.resolve(truth, _document("Revenue", "5,000")).tables == set()  # old figure


def test_plant_list_names_every_plant_with_its_truth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = plant.main(
        ["--corpus", str(CORPUS), "--per-kind", "2", "--list", "--write", str(tmp_path)]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert json.loads(out[-1]) == figures
    assert figures["planted"] == 2 * len(plant.KINDS)
    truths = sorted(tmp_path.glob("*.truth.json"))
    assert len(truths) == figures["planted"]
    for path in truths:
        truth = json.loads(path.read_text())
        written = path.with_name(path.name.replace(".truth.json", ".html")).read_bytes()
        assert _element(written, truth["fact_id"]).text == truth["new_text"]


def test_plant_run_audits_each_plant_or_says_html_is_not_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = plant.main(
        ["--corpus", str(CORPUS), "--per-kind", "1", "--kinds", "line_item,broken_subtotal"]
    )
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == figures
    status = figures["reports"][FILING.name]["status"]
    assert status in ("ok", "unsupported")
    total = figures["recall"]["total"]
    assert total["planted"] == (2 if status == "ok" else 0)
    assert total["caught"] <= total["planted"]


def test_no_corpus_means_nothing_planted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = plant.main(["--corpus", str(tmp_path / "absent")])
    assert "No corpus" in capsys.readouterr().out
    assert "planted" not in figures


def test_a_cell_carrying_the_planted_tag_is_found_whatever_its_label(
    data: bytes, found: dict[str, Fact]
) -> None:
    """A reader that keeps each figure's ix tag (`cell.fact.id`) is matched by the element id."""
    _, truth = plant.plant(data, FILING.name, found["f-1"], "line_item")
    tagged = SimpleNamespace(text="5,150", fact=SimpleNamespace(id="f-1"))
    other = SimpleNamespace(text="5,150", fact=SimpleNamespace(id="f-2"))
    rows = [SimpleNamespace(index=0, label="Net sales", cells=[other, tagged])]
    document = SimpleNamespace(tables=[SimpleNamespace(id="t4", rows=rows)])
    assert plant.resolve(truth, document).rows == {("t4", 0)}
    rows[0].cells = [other]
    assert plant.resolve(truth, document).rows == set()
