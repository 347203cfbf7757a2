"""Each streaming benchmark once at tiny size, so they keep working (issue 8).

They run in this process (one import of the server for all four); each still starts the real
server on a loopback port and its clients in a separate process. The figures themselves are
not judged here, only that every benchmark measures something and reports it.
"""

from __future__ import annotations

import json

import pytest

from bench.streaming import latency, memory, overhead, throughput


def _final_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert isinstance(figures, dict)
    return figures


def test_latency_measures_every_frame_on_both_transports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = latency.main(["--tiny"])
    assert _final_json(capsys) == json.loads(json.dumps(figures))
    cases = figures["cases"]
    assert {c["transport"] for c in cases} == {"baseline-ws", "ws", "sse"}
    for case in cases:
        assert case["samples"] == case["expected"] > 0, case
        assert case["lost"] == 0 and case["errors"] == 0, case
        assert 0 < case["p50_ms"] <= case["p99_ms"] <= case["max_ms"], case


def test_overhead_times_audits_and_probes_the_loop(capsys: pytest.CaptureFixture[str]) -> None:
    figures = overhead.main(["--tiny"])
    assert _final_json(capsys)["benchmark"] == "overhead"
    by_count = figures["subscribers"]
    assert set(by_count) == {"0", "2"}
    assert by_count["0"]["ratio_to_none"] == 1.0
    assert all(entry["wall_ms_median"] > 0 for entry in by_count.values())
    # The loop probe sampled during every part (no samples would read None), and the worst
    # lag reported is the worst of the parts'.
    lags = [entry["loop_lag_ms_max"] for entry in by_count.values()]
    assert None not in lags
    assert all(e["loop_lag_ms_p99"] <= e["loop_lag_ms_max"] for e in by_count.values())
    assert figures["loop_lag_ms_max"] == max(lags)


def test_memory_reads_connections_and_finished_audits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = memory.main(["--tiny"])
    assert _final_json(capsys)["benchmark"] == "memory"
    assert set(figures["per_idle_connection"]) == {"deflate", "no_compression"}
    assert figures["per_finished_audit"]["audits"] == 1


def test_throughput_finishes_uploaded_audits(capsys: pytest.CaptureFixture[str]) -> None:
    figures = throughput.main(["--tiny"])
    assert _final_json(capsys)["benchmark"] == "throughput"
    runs = figures["runs"]
    assert [r["uploaders"] for r in runs] == [1, 2]
    assert [r["audits"] for r in runs] == [1, 2]
    assert all(r["audits_per_minute"] > 0 for r in runs)
