"""Memory per idle WebSocket connection and per finished audit (issue 8, item 4).

    .venv/bin/python -m bench.streaming.memory [--connections 1000] [--audits 20] [--tiny]

Idle connections: N WebSocket clients (another process) follow one audit whose agents wait on
a gate, so nothing is sent; the server process's RSS (from /proc, after a garbage collection
and malloc_trim) is read before and after, and the difference divided by N. Measured twice:
with permessage-deflate (what browsers and the `websockets` client offer, and uvicorn accepts:
each connection then holds zlib state) and without it.

Finished audits: the largest sample is audited M times, one after another, by the real agents;
RSS and the Python heap (tracemalloc) are read before and after, with the difference divided
by M. The event log lives in SQLite, so what an audit leaves in memory is its cached seq and
finished flag plus SQLite's page cache (bounded); growth beyond that would be a leak.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.streaming.clients import ClientProcess
from bench.streaming.harness import (
    Gate,
    LiveServer,
    Stamper,
    bench_settings,
    largest_sample,
    machine,
    paced_team,
    raise_nofile_limit,
    real_agents,
    report,
    rss_bytes,
    settle_memory,
    start_audit,
    statement_upload,
    subscribers,
    wait_subscribers,
)
from server.audits.intake import Upload

SETTLE_S = 0.5
TINY_SETTLE_S = 0.05
KIB = 1024


def idle_connections(count: int, settle_s: float) -> dict[str, Any]:
    """Each variant in a fresh server process: a second reading in the same process would
    reuse memory the first one freed and come out too low."""
    context = multiprocessing.get_context("spawn")
    out: dict[str, Any] = {}
    for compression in (True, False):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_idle_in_process, args=(sender, count, compression, settle_s)
        )
        process.start()
        sender.close()
        if not receiver.poll(600):
            process.kill()
            raise RuntimeError("the idle-connection measurement gave no answer")
        out["deflate" if compression else "no_compression"] = receiver.recv()
        process.join(30)
    return out


def _idle_in_process(conn: Connection, count: int, compression: bool, settle_s: float) -> None:
    raise_nofile_limit()
    gate = Gate()
    with (
        tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp,
        ClientProcess() as clients,
        LiveServer(bench_settings(Path(tmp)), paced_team(gate, 1, 0.01)) as server,
    ):
        audit_id: str = server.call(start_audit(server.runtime, statement_upload())).result()
        url = f"{server.ws_base}/ws/audit/{audit_id}"
        hold(clients, server, audit_id, url, min(count, 20), compression, settle_s)  # warm-up
        held = hold(clients, server, audit_id, url, count, compression, settle_s)
        gate.open()
    conn.send(
        {
            "rss_before_mb": round(held.rss_before / KIB / KIB, 1),
            "rss_after_mb": round(held.rss_after / KIB / KIB, 1),
            "kib_per_connection": round((held.rss_after - held.rss_before) / count / KIB, 1),
            "gc_objects_per_connection": round(
                (held.objects_after - held.objects_before) / count, 1
            ),
            "full_gc_ms_while_open": round(held.full_gc_ms, 1),
        }
    )


@dataclass
class Held:
    rss_before: int
    rss_after: int
    objects_before: int  # objects the garbage collector tracks
    objects_after: int
    full_gc_ms: float  # one full collection while the connections are open


def hold(
    clients: ClientProcess,
    server: LiveServer,
    audit_id: str,
    url: str,
    count: int,
    compression: bool,
    settle_s: float,
) -> Held:
    """The server process before and while `count` idle connections are open."""
    settle_memory()
    time.sleep(settle_s)
    before, objects_before = rss_bytes(), len(gc.get_objects())
    readings: list[Held] = []

    def measure(_: dict[str, Any]) -> None:
        wait_subscribers(server, [audit_id], count)
        time.sleep(settle_s)
        settle_memory()
        started = time.perf_counter()
        gc.collect()
        full_gc_ms = (time.perf_counter() - started) * 1000
        readings.append(
            Held(before, rss_bytes(), objects_before, len(gc.get_objects()), full_gc_ms)
        )
        clients.release()

    clients.run(
        {"op": "hold", "urls": [url] * count, "compression": compression, "timeout_s": 300},
        on_ready=measure,
    )
    deadline = time.monotonic() + 30
    while subscribers(server, [audit_id]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return readings[0]


def finished_audits(tmp: Path, count: int, tiny: bool) -> dict[str, Any]:
    if tiny:  # keep the smoke test quick: paced agents on a one-table statement
        opened = Gate()
        opened.open()
        agents: dict[str, Any] = dict(paced_team(opened, 1, 0.001))
        missing: list[str] = []
        sample, uploads = "statement.md", statement_upload()
    else:
        agents, missing = real_agents()
        sample, uploads = largest_sample()
    with LiveServer(bench_settings(tmp / "audits"), agents) as server:
        stamper = Stamper(server.runtime, record=False)
        for _ in range(1 if tiny else 2):  # warm-up: imports, caches, SQLite pages
            run_audit(server, stamper, uploads)
        settle_memory()
        rss_before = rss_bytes()
        tracemalloc.start()
        heap_before = tracemalloc.take_snapshot()
        half = count // 2
        for _ in range(half):
            run_audit(server, stamper, uploads)
        settle_memory()
        rss_half = rss_bytes()
        for _ in range(count - half):
            run_audit(server, stamper, uploads)
        settle_memory()
        heap_after = tracemalloc.take_snapshot()
        rss_after = rss_bytes()
        tracemalloc.stop()
    growth = heap_after.compare_to(heap_before, "filename")
    heap_delta = sum(stat.size_diff for stat in growth)
    return {
        "sample": sample,
        "agents": sorted(agents),
        "agents_missing": missing,
        "audits": count,
        "rss_kib_per_audit": round((rss_after - rss_before) / count / KIB, 1),
        # Growth over the second half alone: near zero when the first half was warm-up
        # (SQLite's page cache, allocator arenas) rather than something kept per audit.
        "rss_kib_per_audit_second_half": round(
            (rss_after - rss_half) / max(1, count - half) / KIB, 1
        ),
        "heap_kib_per_audit": round(heap_delta / count / KIB, 2),
        "heap_growth_top": [
            {"file": str(stat.traceback[0].filename), "kib": round(stat.size_diff / KIB, 1)}
            for stat in growth[:5]
        ],
    }


def run_audit(server: LiveServer, stamper: Stamper, uploads: list[Upload]) -> None:
    audit_id: str = server.call(start_audit(server.runtime, uploads)).result()
    deadline = time.monotonic() + 300
    while audit_id not in stamper.finished:
        if time.monotonic() > deadline:
            raise RuntimeError(f"audit {audit_id} did not finish")
        time.sleep(0.01)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--audits", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    connections = 5 if args.tiny else args.connections
    audits = 1 if args.tiny else args.audits
    raise_nofile_limit()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        kept = finished_audits(Path(tmp), audits, args.tiny)
    idle = idle_connections(connections, TINY_SETTLE_S if args.tiny else SETTLE_S)
    figures = {
        "benchmark": "memory",
        "machine": machine(),
        "idle_connections": connections,
        "per_idle_connection": idle,
        "per_finished_audit": kept,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report(
        "Memory of the server process",
        ["what", "KiB each", "measured over"],
        [
            [
                "idle WebSocket (permessage-deflate)",
                idle["deflate"]["kib_per_connection"],
                f"{connections} connections",
            ],
            [
                "idle WebSocket (no compression)",
                idle["no_compression"]["kib_per_connection"],
                f"{connections} connections",
            ],
            [
                "full garbage collection with them open (ms)",
                idle["deflate"]["full_gc_ms_while_open"],
                f"{idle['deflate']['gc_objects_per_connection']:g} objects per connection",
            ],
            [
                "finished audit, RSS",
                kept["rss_kib_per_audit"],
                f"{audits} audits of {kept['sample']}",
            ],
            [
                "finished audit, Python heap",
                kept["heap_kib_per_audit"],
                f"{audits} audits of {kept['sample']}",
            ],
        ],
        figures,
    )
    return figures


if __name__ == "__main__":
    main()
