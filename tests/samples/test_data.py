"""The sample data sets foot as published, and the committed .docx files are their rebuild."""

from __future__ import annotations

import json

import pytest

from bench.samples.build import _table_specs, build_all, extract_text, load_set
from server.samples import SAMPLES_DIR, list_samples, sample_path
from tests.support.footing import uncrossfooted_rows, unexplained_totals

SETS = ["fanmilk-2024", "fanmilk-2023", "insig-2024", "flowtraders-2024"]


@pytest.mark.parametrize("name", SETS)
def test_every_total_is_explained_by_its_rows(name: str) -> None:
    data = load_set(name)
    problems = []
    for key, spec in _table_specs(data):
        headers = [str(c) for c in (spec.get("columns") or data["periods"])]
        problems += [f"{key}: {p}" for p in unexplained_totals(spec["rows"], len(headers))]
        problems += [f"{key}: {p}" for p in uncrossfooted_rows(headers, spec["rows"])]
    assert problems == []


@pytest.mark.parametrize("name", SETS)
def test_each_set_records_where_its_figures_come_from(name: str) -> None:
    meta = load_set(name)["metadata"]
    assert meta["entity_is_real"] is True
    assert len(meta["source"]) > 80


def test_prior_year_equals_the_comparatives() -> None:
    current, prior = load_set("fanmilk-2024"), load_set("fanmilk-2023")
    for stmt, old in zip(current["statements"], prior["statements"], strict=True):
        if stmt.get("columns"):
            continue
        now = {r["l"]: r["v"][1] for r in stmt["rows"] if "v" in r}
        before = {r["l"]: r["v"][0] for r in old["rows"] if "v" in r}
        assert now == before, stmt["key"]


def test_unquoted_comma_in_a_label_is_rejected(tmp_path, monkeypatch) -> None:
    import bench.samples.build as build

    (tmp_path / "bad.yaml").write_text(
        "id: bad\nperiods: ['2024', '2023']\nstatements:\n  - key: pl\n    rows:\n"
        "      - {l: Property, plant and equipment, v: [1, 2]}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(build, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="unknown keys"):
        build.load_set("bad")


def test_rebuild_reproduces_the_committed_documents(tmp_path) -> None:
    manifest = build_all(tmp_path)
    assert manifest == json.loads((SAMPLES_DIR / "samples.json").read_text(encoding="utf-8"))
    files = {f for e in manifest for f in [e["document"], e.get("prior_year"), *e["memos"]] if f}
    for name in sorted(files):
        rebuilt = extract_text((tmp_path / name).read_bytes())
        committed = extract_text(sample_path(name).read_bytes())
        assert rebuilt == committed, name


def test_manifest_lists_existing_files_and_unknown_names_raise() -> None:
    entries = list_samples()
    assert {e["name"] for e in entries} >= {"fanmilk-2024", "insig-2024", "insig-2024-planted"}
    for entry in entries:
        assert sample_path(entry["document"]).is_file()
    with pytest.raises(KeyError):
        sample_path("no-such-sample.docx")


def test_title_sits_only_in_the_page_header_for_fanmilk() -> None:
    lines = extract_text(sample_path("fanmilk-2024.docx").read_bytes())
    headers = [line for line in lines if line.startswith("H:")]
    body = [line for line in lines if not line.startswith("H:")]
    assert any("Statement of financial position" in h for h in headers)
    assert not any("Statement of financial position at" in b for b in body)
    assert "R:In thousands of Ghana cedis|Note|2024|2023" in lines
    assert "R:TOTAL ASSETS||590,728|590,250" in lines
    assert "R:Balance at 1\u00a0January\u00a02024|10,000|219,091|229,091" in lines
    assert "P:Statement of cash flows (continued)" in lines


def test_insig_prints_unlabelled_subtotals_and_a_stated_going_concern_uncertainty() -> None:
    lines = extract_text(sample_path("insig-2024.docx").read_bytes())
    assert "R:||4,409,652|20,375,192" in lines
    assert any("material uncertainty" in line for line in lines)
