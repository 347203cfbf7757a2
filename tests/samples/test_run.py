"""Smoke test of the quality runner in --tiny mode (real reader, real agents, real documents)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("server.ingest.reader")

from bench.quality.run import catches, main, norm  # noqa: E402


def test_tiny_run_prints_a_json_report(capsys) -> None:
    assert main(["--tiny"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["cases"] == 4
    assert set(report["recall_by_kind"]) == {
        "broken_subtotal",
        "narrative_amount",
        "note_removed",
        "prior_year_mismatch",
    }
    assert "logic" in report["agents_available"]


def test_a_finding_counts_only_when_it_points_at_the_target() -> None:
    from bench.quality.run import Targets

    targets = Targets(
        tables={"t4"}, rows={("t4", 7)}, paragraphs={"p9"}, texts=[norm("Revenue grew 24%")]
    )
    assert catches(
        {"locations": [{"table": "t4", "cells": [{"row": 7, "column": 2}]}]}, targets
    ) == (True, True)
    assert catches(
        {"locations": [{"table": "t4", "cells": [{"row": 1, "column": 2}]}]}, targets
    ) == (True, False)
    assert catches({"locations": [{"table": "t5"}]}, targets) == (False, False)
    assert catches({"locations": [{"quote": "grew 24%"}]}, targets) == (True, True)
