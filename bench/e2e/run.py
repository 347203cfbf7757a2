"""End-to-end figures: start-up, upload to `audit_finished`, and `crosscheck audit` (issue 13).

    .venv/bin/python -m bench.e2e [--runs 10] [--starts 5] [--cli-runs 5] [--workers N]
        [--sample NAME] [--tiny]

Every part runs as its own processes, as a user runs them (installation already done):

- start-up: `scripts/run --port P --data-dir D`, timed from launching it to the moment it
  prints the URL (the server prints it only once its own health check answers) and to the
  moment the worker processes exist (read from /proc); then SIGTERM, timed to its exit, and
  the processes it left behind are counted (the goal is none).
- one audit: `crosscheck serve` (default settings unless --workers) after two unmeasured
  audits; each run uploads the sample's files (document, prior year, memos) as a browser does
  and follows the WebSocket until `audit_finished`. Stages, from the client's clock and the
  frames' `ts` (one machine, one clock): upload (POST until 202), read (202 until
  `audit_started`: storing and parsing the files), each agent's `duration_ms` (its start to its
  result), agents (`audit_started` until the last agent finished), events (the last agent's
  result until `audit_finished` reached the client), total (POST until `audit_finished`).
- `crosscheck audit DOC --prior-year PY --json`: wall time of the whole command against the
  `duration_ms` it reports in `audit_finished`.

Medians throughout, because the machine is shared: other work during the run shows in the load
average the JSON line records.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from websockets.asyncio.client import connect

from bench.streaming.harness import machine
from server.samples import list_samples, sample_path
from tests.support.paths import ROOT
from tests.support.processes import alive, descendants, free_port, worker_processes

AGENTS = ("numeric", "logic", "disclosure", "external")
DEFAULT_SAMPLE = "fanmilk-2024"  # the largest bundled document, with its prior year
WARM_UP_AUDITS = 2
GOAL_AUDIT_MS = 1000.0
GOAL_START_S = 3.0
GOAL_CLI_RATIO = 1.2
CROSSCHECK = ROOT / ".venv" / "bin" / "crosscheck"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _ts(frame: dict[str, Any]) -> float:
    return datetime.fromisoformat(frame["ts"].replace("Z", "+00:00")).timestamp()


def _median(values: Sequence[float], digits: int = 1) -> float:
    return round(statistics.median(values), digits) if values else float("nan")


# -- start-up -------------------------------------------------------------------------------


def _wait_line(process: subprocess.Popen[str], needle: str) -> str:
    """Read the process's stdout until a line contains `needle` (stderr is discarded)."""
    assert process.stdout is not None
    for line in process.stdout:
        if needle in line:
            return line
    raise RuntimeError(f"the process ended without printing {needle!r}")


def one_start(workers: int | None) -> dict[str, float | int]:
    """Launch scripts/run, time it to its URL and its workers, stop it, count what is left."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        command = [str(ROOT / "scripts" / "run"), "--port", str(port), "--data-dir", data]
        if workers is not None:
            command += ["--agent-workers", str(workers)]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            _wait_line(process, f":{port}/")
            url_s = time.perf_counter() - started
            health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10)
            assert health.status_code == 200, health.text
            expected = workers if workers is not None else _default_workers()
            while len(worker_processes(process.pid)) < expected:
                time.sleep(0.01)
            workers_s = time.perf_counter() - started
            family = list(descendants(process.pid))
        finally:
            stopping = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            process.wait()
            stop_s = time.perf_counter() - stopping
        deadline = time.monotonic() + 5  # ended processes vanish from /proc a moment later
        while alive(family) and time.monotonic() < deadline:
            time.sleep(0.02)
        return {
            "url_s": round(url_s, 2),
            "workers_s": round(workers_s, 2),
            "stop_s": round(stop_s, 2),
            "processes": len(family),
            "left_behind": len(alive(family)),
        }


def _default_workers() -> int:
    from server.settings import DEFAULT_AGENT_WORKERS

    return DEFAULT_AGENT_WORKERS


# -- one audit over HTTP ----------------------------------------------------------------------


def _uploads(name: str) -> list[tuple[str, tuple[str, bytes]]]:
    entry = next(s for s in list_samples() if s["name"] == name)
    files = [("document", (entry["document"], sample_path(entry["document"]).read_bytes()))]
    if entry.get("prior_year"):
        prior = entry["prior_year"]
        files.append(("prior_year", (prior, sample_path(prior).read_bytes())))
    files.extend(("memos", (m, sample_path(m).read_bytes())) for m in entry.get("memos", []))
    return files


async def one_audit(
    client: httpx.AsyncClient, ws_base: str, files: list[tuple[str, tuple[str, bytes]]]
) -> dict[str, Any]:
    started = time.time()
    response = await client.post("/api/v1/audits", files=files)
    accepted = time.time()
    assert response.status_code == 202, response.text
    audit_id = response.json()["audit_id"]
    frames: list[dict[str, Any]] = []
    async with connect(f"{ws_base}/ws/audit/{audit_id}?after=0", max_size=None) as socket:
        async for message in socket:
            frame = json.loads(message)
            frames.append(frame)
            if frame["type"] == "audit_finished":
                break
    finished = time.time()
    begun = next(f for f in frames if f["type"] == "audit_started")
    results = [f for f in frames if f["type"] in ("agent_completed", "agent_failed")]
    last = max(_ts(f) for f in results)
    terminal = frames[-1]
    return {
        "upload_ms": _ms(accepted - started),
        "read_ms": _ms(_ts(begun) - accepted),
        "agents": {f["agent"]: f["duration_ms"] for f in results},
        "agents_ms": _ms(last - _ts(begun)),
        "events_ms": _ms(finished - last),
        "total_ms": _ms(finished - started),
        "reported_ms": terminal["duration_ms"],
        "status": terminal["status"],
    }


async def audits(base: str, sample: str, runs: int) -> list[dict[str, Any]]:
    files = _uploads(sample)
    ws_base = base.replace("http://", "ws://")
    async with httpx.AsyncClient(base_url=base, timeout=None) as client:
        for _ in range(WARM_UP_AUDITS):
            await one_audit(client, ws_base, files)
        return [await one_audit(client, ws_base, files) for _ in range(runs)]


def serve_and_audit(sample: str, runs: int, workers: int | None) -> list[dict[str, Any]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        command = [str(CROSSCHECK), "serve", "--port", str(port), "--data-dir", data]
        if workers is not None:
            command += ["--agent-workers", str(workers)]
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            _wait_line(process, f":{port}/")
            return asyncio.run(audits(f"http://127.0.0.1:{port}", sample, runs))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()


def stages(measured: list[dict[str, Any]]) -> dict[str, float]:
    out = {
        key: _median([m[key] for m in measured])
        for key in ("upload_ms", "read_ms", "agents_ms", "events_ms", "total_ms", "reported_ms")
    }
    for agent in AGENTS:
        out[f"{agent}_ms"] = _median([m["agents"][agent] for m in measured if agent in m["agents"]])
    return out


# -- crosscheck audit ---------------------------------------------------------------------------


def one_cli_audit(sample: str) -> dict[str, float]:
    entry = next(s for s in list_samples() if s["name"] == sample)
    command = [str(CROSSCHECK), "audit", str(sample_path(entry["document"])), "--json"]
    if entry.get("prior_year"):
        command += ["--prior-year", str(sample_path(entry["prior_year"]))]
    for memo in entry.get("memos", []):
        command += ["--memo", str(sample_path(memo))]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    terminal = json.loads(done.stdout.strip().splitlines()[-1])
    assert terminal["type"] == "audit_finished", terminal
    reported = float(terminal["duration_ms"])
    return {
        "wall_ms": _ms(wall),
        "cpu_ms": _ms(cpu),
        "reported_ms": reported,
        "ratio": round(wall * 1000 / reported, 3),
    }


# -- the report -----------------------------------------------------------------------------


def _table(title: str, rows: list[tuple[str, Any, str]]) -> Table:
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("median", justify="right")
    table.add_column("goal", justify="right")
    for name, value, goal in rows:
        table.add_row(name, str(value), goal)
    return table


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="measured audits over HTTP")
    parser.add_argument("--starts", type=int, default=5, help="start-ups of scripts/run")
    parser.add_argument("--cli-runs", type=int, default=5, help="runs of crosscheck audit")
    parser.add_argument("--workers", type=int, default=None, help="--agent-workers (default)")
    parser.add_argument("--sample", default=DEFAULT_SAMPLE)
    parser.add_argument("--tiny", action="store_true", help="one of each (smoke test)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.runs = args.starts = args.cli_runs = 1

    starts = [one_start(args.workers) for _ in range(args.starts)]
    measured = serve_and_audit(args.sample, args.runs, args.workers) if args.runs else []
    cli = [one_cli_audit(args.sample) for _ in range(args.cli_runs)]

    start_up = {
        key: _median([float(s[key]) for s in starts]) for key in ("url_s", "workers_s", "stop_s")
    }
    start_up["left_behind_max"] = max((int(s["left_behind"]) for s in starts), default=0)
    audit = stages(measured)
    command = {key: _median([c[key] for c in cli]) for key in ("wall_ms", "cpu_ms", "reported_ms")}
    command["ratio"] = _median([c["ratio"] for c in cli], digits=3)  # 1.204 must not print as 1.2
    command["outside_ms"] = _median([c["wall_ms"] - c["reported_ms"] for c in cli])
    figures: dict[str, Any] = {
        "benchmark": "e2e",
        "sample": args.sample,
        "workers": args.workers if args.workers is not None else _default_workers(),
        "start_up": start_up,
        "audit": audit,
        "audit_runs": measured,
        "statuses": sorted({m["status"] for m in measured}),
        "cli": command,
        "machine": machine(),
    }
    console = Console(width=120)
    console.print(
        _table(
            f"start-up: scripts/run, installation done ({len(starts)} starts)",
            [
                (
                    "launch -> URL printed (server answers), s",
                    start_up["url_s"],
                    f"< {GOAL_START_S}",
                ),
                ("launch -> worker processes up, s", start_up["workers_s"], "in the background"),
                ("SIGTERM -> exit, s", start_up["stop_s"], ""),
                ("processes left behind (worst)", start_up["left_behind_max"], "0"),
            ],
        )
    )
    rows = [
        ("upload (POST -> 202), ms", audit["upload_ms"], ""),
        ("read (202 -> audit_started), ms", audit["read_ms"], ""),
        *[(f"  {agent} (its duration_ms)", audit[f"{agent}_ms"], "") for agent in AGENTS],
        ("agents (audit_started -> last result), ms", audit["agents_ms"], ""),
        ("events (last result -> audit_finished at client), ms", audit["events_ms"], ""),
        ("total: upload -> audit_finished, ms", audit["total_ms"], f"< {GOAL_AUDIT_MS:g}"),
    ]
    console.print(
        _table(
            f"{args.sample}: upload -> audit_finished ({len(measured)} audits, "
            f"{figures['workers']} worker processes)",
            rows,
        )
    )
    console.print(
        _table(
            f"crosscheck audit --json ({len(cli)} runs)",
            [
                ("wall time of the command, ms", command["wall_ms"], ""),
                ("CPU time of the command (user + system), ms", command["cpu_ms"], ""),
                ("duration_ms it reports, ms", command["reported_ms"], ""),
                ("outside the audit (wall - reported), ms", command["outside_ms"], ""),
                ("wall / reported", f"{command['ratio']:.3f}", f"<= {GOAL_CLI_RATIO}"),
            ],
        )
    )
    sys.stdout.flush()
    print(json.dumps(figures, sort_keys=True), flush=True)
    return figures


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
