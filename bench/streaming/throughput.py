"""Audits per minute of the bundled samples, end to end (issue 8, item 5).

    .venv/bin/python -m bench.streaming.throughput [--duration 30] [--uploaders 1,4] [--tiny]

Each uploader (in another process) loops: POST the sample's files (document and prior year)
as multipart to /api/v1/audits, follow the audit's WebSocket until `audit_finished`, repeat,
cycling through the bundled samples, until the time is up. The server runs with the real agents
and default settings (at most 4 audits at once; a 429 is retried after 50 ms and counted).
Audits per minute = audits finished / (last finish - first upload) x 60.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.streaming.clients import ClientProcess
from bench.streaming.harness import (
    Gate,
    LiveServer,
    bench_settings,
    machine,
    median,
    paced_team,
    percentile,
    raise_nofile_limit,
    real_agents,
    report,
)
from server.audits.intake import sample_uploads
from server.samples import list_samples


def run(
    clients: ClientProcess,
    server: LiveServer,
    files: list[list[tuple[str, str, bytes]]],
    uploaders: int,
    duration_s: float,
    max_each: int,
) -> dict[str, Any]:
    result = clients.run(
        {
            "op": "upload",
            "base": server.base,
            "files": files,
            "uploaders": uploaders,
            "duration_s": duration_s,
            "max_each": max_each,
            "grace_s": 300,
        },
        timeout=duration_s + 400,
    )
    finished = result["finished"]
    if not finished:
        raise RuntimeError("no audit finished")
    span_s = (max(f["end_ns"] for f in finished) - result["first_ns"]) / 1e9
    seconds = sorted((f["end_ns"] - f["start_ns"]) / 1e9 for f in finished)
    statuses: dict[str, int] = {}
    for f in finished:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    return {
        "uploaders": uploaders,
        "audits": len(finished),
        "span_s": round(span_s, 2),
        "audits_per_minute": round(len(finished) / span_s * 60, 1),
        "end_to_end_s_median": round(median(seconds), 3),
        "end_to_end_s_p90": round(percentile(seconds, 0.9), 3),
        "refused_429": result["refused"],
        "statuses": statuses,
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--uploaders", default="1,4")
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    raise_nofile_limit()
    counts = [1, 2] if args.tiny else [int(n) for n in args.uploaders.split(",")]
    duration = 0.0 if args.tiny else args.duration
    max_each = 1 if args.tiny else 1_000_000
    if args.tiny:  # keep the smoke test quick: the upload path with paced agents
        opened = Gate()
        opened.open()
        agents: dict[str, Any] = dict(paced_team(opened, 1, 0.001))
        missing: list[str] = []
    else:
        agents, missing = real_agents()
    samples = [entry["name"] for entry in list_samples()]
    files = [[(u.role, u.filename, u.data) for u in sample_uploads(name)] for name in samples]
    started = time.monotonic()
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp,
        ClientProcess() as clients,
        LiveServer(bench_settings(Path(tmp) / "data"), agents) as server,
    ):
        if not args.tiny:
            run(clients, server, files, 1, 0.0, 1)  # warm-up: imports, caches
        for count in counts:
            results.append(run(clients, server, files, count, duration, max_each))
    figures = {
        "benchmark": "throughput",
        "machine": machine(),
        "samples": samples,
        "agents": sorted(agents),
        "agents_missing": missing,
        "duration_s": duration,
        "runs": results,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report(
        f"Audits per minute, upload to audit_finished ({', '.join(samples)})",
        ["uploaders", "audits", "audits/min", "median s", "p90 s", "429s"],
        [
            [
                r["uploaders"],
                r["audits"],
                r["audits_per_minute"],
                r["end_to_end_s_median"],
                r["end_to_end_s_p90"],
                r["refused_429"],
            ]
            for r in results
        ],
        figures,
    )
    return figures


if __name__ == "__main__":
    main()
