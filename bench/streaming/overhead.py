"""What streaming costs an audit, and how long the event loop ever stalls (issue 8, items 2, 3).

    .venv/bin/python -m bench.streaming.overhead [--rounds 15] [--subscribers 0,1,100] [--tiny]

An audit of the largest bundled sample (document and prior year, as uploaded) runs with the
project's real agents (those that import today; the JSON names them) and 0, 1 or 100 WebSocket
subscribers in another process. The audit's loading waits on a gate so every subscriber is
connected first; its wall time runs from the gate opening (parse included) to `audit_finished`
being handed to the sink. Rounds interleave the subscriber counts (0, 1, 100, 0, 1, 100, ...)
so drift on a shared machine hits all of them alike; ratios are of medians.

During every audit a probe task in the server's loop sleeps 2 ms again and again; how late it
wakes is the loop's lag. The longest is the longest time any frame or request could have waited.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.streaming.clients import ClientProcess
from bench.streaming.harness import (
    Gate,
    LagProbe,
    LiveServer,
    Stamper,
    bench_settings,
    largest_sample,
    machine,
    median,
    paced_team,
    percentile,
    raise_nofile_limit,
    real_agents,
    report,
    start_audit,
    statement_upload,
    wait_subscribers,
)
from server.audits.intake import Upload

SETTLE_S = 0.2
AUDIT_TIMEOUT_S = 300.0


@dataclass
class Measured:
    wall_ms: float
    cpu_ms: float  # the server process's CPU time (all threads: loop, agents, probe)
    lags_ms: list[float]
    frames: int = 0  # frames the first subscriber received (replay included)


def one_audit(
    server: LiveServer,
    stamper: Stamper,
    clients: ClientProcess,
    uploads: list[Upload],
    subscribers: int,
) -> Measured:
    """Wall time, CPU time and loop lags of one audit watched by `subscribers` clients."""
    rt = server.runtime
    gate = Gate()
    audit_id: str = server.call(start_audit(rt, uploads, gate)).result()
    probe = LagProbe()
    cpu: list[float] = []

    def go(_: dict[str, Any] | None = None) -> None:
        if subscribers:
            wait_subscribers(server, [audit_id], subscribers)
        time.sleep(SETTLE_S)
        probe.start(server)
        cpu.append(time.process_time())
        gate.open()

    if subscribers:
        urls = [f"{server.ws_base}/ws/audit/{audit_id}"] * subscribers
        result = clients.run(
            {"op": "stream", "kind": "ws", "urls": urls, "timeout_s": AUDIT_TIMEOUT_S},
            on_ready=go,
            timeout=AUDIT_TIMEOUT_S + 30,
        )
        if result["error_count"]:
            raise RuntimeError(f"subscribers failed: {result['errors']}")
        frames = len(result["records"][0])
    else:
        frames = 0
        go()
    deadline = time.monotonic() + AUDIT_TIMEOUT_S
    while audit_id not in stamper.finished:
        if time.monotonic() > deadline:
            raise RuntimeError(f"audit {audit_id} did not finish")
        time.sleep(0.005)
    cpu_ms = (time.process_time() - cpu[0]) * 1000
    lags = probe.stop(server)
    wall_ms = (stamper.finished[audit_id] - (gate.opened_ns or 0)) / 1e6
    return Measured(wall_ms, cpu_ms, lags, frames)


def attribute_lag(
    clients: ClientProcess,
    agents: dict[str, Any],
    uploads: list[Upload],
    tmp: Path,
    rounds: int,
    subscribers: int,
) -> dict[str, dict[str, float]]:
    """Who stalls the loop: each agent alone (no subscriber), then the streaming path alone
    (paced agents that do no work, 12 progress frames each, `subscribers` clients)."""
    parts: dict[str, tuple[dict[str, Any], int]] = {
        f"{name} alone": ({name: agent}, 0) for name, agent in agents.items()
    }
    opened = Gate()
    opened.open()
    parts[f"streaming alone, {subscribers} subscribers"] = (
        paced_team(opened, steps=12, interval_s=0.05),
        subscribers,
    )
    out: dict[str, dict[str, float]] = {}
    for part, (team, count) in parts.items():
        # The streaming part audits a tiny statement: parsing the sample is an agent-side cost.
        files = statement_upload() if part.startswith("streaming") else uploads
        settings = bench_settings(tmp / part.replace(" ", "-").replace(",", ""))
        with LiveServer(settings, team) as server:
            stamper = Stamper(server.runtime)
            one_audit(server, stamper, clients, files, count)  # warm-up
            walls, lags = [], []
            for _ in range(rounds):
                measured = one_audit(server, stamper, clients, files, count)
                walls.append(measured.wall_ms)
                lags.extend(measured.lags_ms)
        out[part] = {
            "wall_ms_median": round(median(walls), 1),
            "loop_lag_ms_max": round(max(lags, default=0.0), 2),
        }
    return out


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--subscribers", default="0,1,100")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    rounds = 1 if args.tiny else args.rounds
    counts = [0, 2] if args.tiny else [int(n) for n in args.subscribers.split(",")]
    raise_nofile_limit()
    if args.tiny:  # keep the smoke test quick: paced agents on a one-table statement
        opened = Gate()
        opened.open()
        agents: dict[str, Any] = dict(paced_team(opened, 2, 0.01))
        missing: list[str] = []
        sample, uploads = "statement.md", statement_upload()
    else:
        agents, missing = real_agents()
        sample, uploads = largest_sample()
    walls: dict[int, list[float]] = {n: [] for n in counts}
    cpus: dict[int, list[float]] = {n: [] for n in counts}
    frames: list[int] = []
    lags: dict[int, list[float]] = {n: [] for n in counts}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp, ClientProcess() as clients:
        settings = bench_settings(Path(tmp) / "data")
        with LiveServer(settings, agents) as server:
            stamper = Stamper(server.runtime)
            one_audit(server, stamper, clients, uploads, counts[-1])  # warm-up, not counted
            for _ in range(rounds):
                for n in counts:
                    measured = one_audit(server, stamper, clients, uploads, n)
                    walls[n].append(measured.wall_ms)
                    cpus[n].append(measured.cpu_ms)
                    lags[n].extend(measured.lags_ms)
                    if measured.frames:
                        frames.append(measured.frames)
        attribution = (
            {}
            if args.tiny
            else attribute_lag(clients, agents, uploads, Path(tmp), min(rounds, 5), counts[-1])
        )
    base = median(walls[counts[0]])
    base_cpu = median(cpus[counts[0]])
    rows = []
    per_count: dict[str, Any] = {}
    for n in counts:
        ordered = sorted(lags[n])
        entry = {
            "wall_ms_median": round(median(walls[n]), 1),
            "wall_ms_min": round(min(walls[n]), 1),
            "wall_ms_max": round(max(walls[n]), 1),
            "ratio_to_none": round(median(walls[n]) / base, 3),
            "cpu_ms_median": round(median(cpus[n]), 1),
            "cpu_ratio_to_none": round(median(cpus[n]) / base_cpu, 3),
            "loop_lag_ms_p99": round(percentile(ordered, 0.99), 2),
            "loop_lag_ms_max": round(ordered[-1], 2) if ordered else None,
        }
        per_count[str(n)] = entry
        rows.append(
            [
                n,
                entry["wall_ms_median"],
                entry["wall_ms_min"],
                entry["wall_ms_max"],
                f"{entry['ratio_to_none']:.3f}",
                entry["cpu_ms_median"],
                f"{entry['cpu_ratio_to_none']:.3f}",
                entry["loop_lag_ms_p99"],
                entry["loop_lag_ms_max"],
            ]
        )
    worst_lag = max(e["loop_lag_ms_max"] or 0.0 for e in per_count.values())
    one = per_count.get("1")
    figures = {
        "benchmark": "overhead",
        "machine": machine(),
        "sample": sample,
        "agents": sorted(agents),
        "agents_missing": missing,
        "rounds": rounds,
        "frames_per_audit_median": median(frames) if frames else None,
        "subscribers": per_count,
        "loop_lag_ms_max": worst_lag,
        "loop_lag_by_part": attribution,
        "goals": {
            "one_subscriber_ratio_at_most_1.05": None
            if one is None
            else one["ratio_to_none"] <= 1.05,
            "loop_lag_under_20_ms": worst_lag < 20.0,
        },
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    rows.extend(
        [part, entry["wall_ms_median"], "", "", "", "", "", "", entry["loop_lag_ms_max"]]
        for part, entry in attribution.items()
    )
    report(
        f"Audit of {sample} ({', '.join(sorted(agents))}): wall time and loop lag by subscribers",
        [
            "subscribers",
            "wall ms",
            "min ms",
            "max ms",
            "ratio",
            "cpu ms",
            "cpu ratio",
            "lag p99 ms",
            "lag max ms",
        ],
        rows,
        figures,
    )
    return figures


if __name__ == "__main__":
    main()
