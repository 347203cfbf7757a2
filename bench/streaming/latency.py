"""Event latency, hand-to-sink to parsed-by-the-client, over WebSocket and SSE, beside a bare
`websockets` broadcast server fed the same frames (issue 8, items 1 and 6).

    .venv/bin/python -m bench.streaming.latency [--sizes 1,100,1000] [--steps 12]
        [--interval 0.5] [--tiny]

For each size N, two shapes: `own` (N audits, one client each) and `shared` (one audit, N
clients). Each audit runs four paced agents (harness.PacedAgent): after a gate opens, each
reports `steps` progress frames `interval` s apart (random phase), then completes; the numeric
result carries 20 findings, so `agent_completed` frames are a few kB like real ones. The clients
(another process) connect first; the gate opens once every subscriber is in the server's log,
and only frames handed to the sink after that are measured. Lost = frames handed to the sink
for an audit that one of its clients never parsed (progress frames are droppable by design
under backpressure, so a loss there is a dropped progress frame; any lost log event would be a
bug).

The baseline replays the Crosscheck WebSocket run's frames (same texts, same offsets, same
channels) through `websockets.broadcast`, to the same clients. Ratios are p99 / baseline p99.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.streaming.baseline import BroadcastServer, Scheduled
from bench.streaming.clients import ClientProcess, Key
from bench.streaming.harness import (
    Gate,
    GcPauses,
    LiveServer,
    Stamper,
    bench_settings,
    machine,
    paced_team,
    percentile,
    raise_nofile_limit,
    report,
    start_audits,
    statement_upload,
    wait_subscribers,
)
from server.runtime import Runtime

SETTLE_S = 0.3  # after the last subscriber arrives, before the gate opens
TINY_SETTLE_S = 0.05


@dataclass(frozen=True)
class Clients:
    """The client process and how every case uses it."""

    process: ClientProcess
    settle_s: float = SETTLE_S
    compression: bool = True  # WebSocket clients offer permessage-deflate, as browsers do


@dataclass
class Workload:
    steps: int
    interval_s: float
    findings: int = 20

    @property
    def agents(self) -> int:
        return 4

    def for_size(self, size: int, budget_per_s: float) -> Workload:
        """Slow the agents down where `size` clients would be offered more than `budget_per_s`
        frames a second in all (keeping the run about as long, with at least 3 steps)."""
        interval = max(self.interval_s, self.agents * size / budget_per_s)
        steps = max(3, round(self.steps * self.interval_s / interval))
        return Workload(steps, interval, self.findings)

    def frames_per_connection(self) -> int:
        return self.agents * (self.steps + 1) + 1


@dataclass
class Case:
    size: int
    shape: str  # own | shared
    transport: str  # ws | sse | baseline-ws
    samples: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    lost: int
    expected: int
    errors: int
    frames_per_s: float
    offered_per_s: float = 0.0  # frames per second the agents hand to the sink, all clients
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    gc_longest_ms: float = 0.0  # longest garbage collection in the server process
    gc_full: int = 0  # full (generation 2) collections during the run
    p99_runs: list[float] = field(default_factory=list)  # each run's p99 when repeated

    @property
    def server_us_per_frame(self) -> float:
        """Server CPU (all its threads, connecting included) per frame delivered."""
        return self.server_cpu_s / max(1, self.samples) * 1e6

    def row(self, ratio: float | None) -> list[Any]:
        return [
            f"{self.size} {self.shape}",
            self.transport,
            self.samples,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.lost,
            round(self.offered_per_s),
            round(self.server_us_per_frame),
            round(self.gc_longest_ms, 1),
            "-" if ratio is None else f"{ratio:.2f}x",
        ]


def measure(
    size: int,
    shape: str,
    transport: str,
    result: dict[str, Any],
    connection_audits: Sequence[str],
    stamps: dict[Key, int],
    since_ns: int,
) -> Case:
    """Latency of every measured frame each client parsed; frames it never parsed are lost."""
    expected: dict[str, set[Key]] = defaultdict(set)
    for key, stamp in stamps.items():
        if stamp >= since_ns:
            expected[key[0]].add(key)
    latencies: list[float] = []
    lost = total = 0
    first_ns = min((stamps[k] for keys in expected.values() for k in keys), default=since_ns)
    last_ns = first_ns
    for audit_id, records in zip(connection_audits, result["records"], strict=True):
        wanted = expected[audit_id]
        got: set[Key] = set()
        for key, received in records:
            key = tuple(key)
            if key in wanted and key not in got:
                got.add(key)
                latencies.append((received - stamps[key]) / 1e6)
                last_ns = max(last_ns, received)
        total += len(wanted)
        lost += len(wanted - got)
    latencies.sort()
    elapsed = max(1e-9, (last_ns - first_ns) / 1e9)
    stamped = [stamps[k] for keys in expected.values() for k in keys]
    sending = max(1e-9, (max(stamped, default=0) - min(stamped, default=0)) / 1e9)
    return Case(
        size=size,
        shape=shape,
        transport=transport,
        samples=len(latencies),
        p50_ms=round(percentile(latencies, 0.5), 3),
        p99_ms=round(percentile(latencies, 0.99), 3),
        max_ms=round(latencies[-1], 3) if latencies else float("nan"),
        lost=lost,
        expected=total,
        errors=int(result["error_count"]),
        frames_per_s=round(len(latencies) / elapsed, 1),
        offered_per_s=round(total / sending, 1),
        client_cpu_s=round(float(result.get("cpu_s", 0.0)), 2),
    )


def combine(runs: Sequence[Case]) -> Case:
    """Repeated runs of one case: medians of the percentiles and rates, the worst max, and
    every frame lost or error summed."""
    if len(runs) == 1:
        return replace(runs[0], p99_runs=[runs[0].p99_ms])
    return replace(
        runs[0],
        samples=sum(r.samples for r in runs),
        p50_ms=round(statistics.median(r.p50_ms for r in runs), 3),
        p99_ms=round(statistics.median(r.p99_ms for r in runs), 3),
        max_ms=max(r.max_ms for r in runs),
        lost=sum(r.lost for r in runs),
        expected=sum(r.expected for r in runs),
        errors=sum(r.errors for r in runs),
        frames_per_s=round(statistics.median(r.frames_per_s for r in runs), 1),
        offered_per_s=round(statistics.median(r.offered_per_s for r in runs), 1),
        server_cpu_s=sum(r.server_cpu_s for r in runs),
        client_cpu_s=sum(r.client_cpu_s for r in runs),
        gc_longest_ms=max(r.gc_longest_ms for r in runs),
        gc_full=sum(r.gc_full for r in runs),
        p99_runs=[r.p99_ms for r in runs],
    )


async def _wait_loaded(rt: Runtime, audit_ids: Sequence[str], seq: int, timeout: float) -> None:
    """Until every audit has emitted audit_started and its agent_started events."""
    deadline = time.monotonic() + timeout
    while any(rt.log.last_seq(a) < seq for a in audit_ids):
        if time.monotonic() > deadline:
            raise RuntimeError("audits did not start in time")
        await asyncio.sleep(0.02)


def run_crosscheck(
    clients: Clients,
    transport: str,
    size: int,
    shape: str,
    work: Workload,
    data_dir: Path,
) -> tuple[Case, list[Scheduled]]:
    gate = Gate()
    team = paced_team(gate, work.steps, work.interval_s, work.findings)
    audits = size if shape == "own" else 1
    settings = bench_settings(data_dir, max_running_audits=audits + 8)
    with LiveServer(settings, team) as server:
        rt = server.runtime
        stamper = Stamper(rt)
        audit_ids: list[str] = server.call(start_audits(rt, audits, statement_upload())).result()
        server.call(_wait_loaded(rt, audit_ids, 1 + work.agents, 120)).result()
        connection_audits = audit_ids if shape == "own" else audit_ids * size
        if transport == "ws":
            urls = [f"{server.ws_base}/ws/audit/{a}" for a in connection_audits]
        else:
            urls = [f"{server.base}/api/v1/audits/{a}/events" for a in connection_audits]

        def open_gate(_: dict[str, Any]) -> None:
            wait_subscribers(server, audit_ids, size)
            time.sleep(clients.settle_s)
            gate.open()

        timeout = 120 + work.steps * work.interval_s * 4
        cpu = time.process_time()
        with GcPauses() as pauses:
            result = clients.process.run(
                {
                    "op": "stream",
                    "kind": transport,
                    "urls": urls,
                    "timeout_s": timeout,
                    "compression": clients.compression,
                },
                on_ready=open_gate,
                timeout=timeout + 30,
            )
        cpu = time.process_time() - cpu
    since = gate.opened_ns or 0
    case = measure(size, shape, transport, result, connection_audits, stamper.stamps, since)
    case.server_cpu_s = round(cpu, 2)
    case.gc_longest_ms, case.gc_full = pauses.between(since, max(stamper.stamps.values()))
    schedule = [
        (stamp - since, str(key[0]), text, key)
        for stamp, key, text in stamper.frames
        if stamp >= since
    ]
    return case, schedule


def run_baseline(
    clients: Clients,
    size: int,
    shape: str,
    schedule: list[Scheduled],
    connection_audits: Sequence[str],
) -> Case:
    stamps: dict[Key, int] = {}
    with BroadcastServer() as server:
        urls = [f"{server.ws_base}/{a}" for a in connection_audits]
        replay: list[Any] = []

        def start(_: dict[str, Any]) -> None:
            server.wait_connected(len(urls))
            time.sleep(clients.settle_s)
            replay.append(
                asyncio.run_coroutine_threadsafe(server.replay(schedule, stamps), server.loop)
            )

        last = max((offset for offset, *_ in schedule), default=0) / 1e9
        timeout = 120 + last * 4
        cpu = time.process_time()
        with GcPauses() as pauses:
            result = clients.process.run(
                {
                    "op": "stream",
                    "kind": "ws",
                    "urls": urls,
                    "timeout_s": timeout,
                    "compression": clients.compression,
                },
                on_ready=start,
                timeout=timeout + 30,
            )
        replay[0].result(30)
        cpu = time.process_time() - cpu
    case = measure(size, shape, "baseline-ws", result, connection_audits, stamps, 0)
    case.server_cpu_s = round(cpu, 2)
    case.gc_longest_ms, case.gc_full = pauses.between(min(stamps.values()), max(stamps.values()))
    return case


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument(
        "--budget",
        type=float,
        default=1000.0,
        help="frames per second offered to all clients together, at most",
    )
    parser.add_argument("--transports", default="ws,sse")
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="WebSocket clients offer no permessage-deflate (browsers do offer it)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each case this many times (interleaved); report medians, worst max",
    )
    parser.add_argument("--tiny", action="store_true", help="smoke-test size")
    args = parser.parse_args(argv)
    sizes = [3] if args.tiny else [int(s) for s in args.sizes.split(",")]
    work = Workload(steps=3, interval_s=0.05) if args.tiny else Workload(args.steps, args.interval)
    transports = args.transports.split(",")
    raise_nofile_limit()
    cases: list[tuple[Case, float | None]] = []
    workloads: dict[int, Workload] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp, ClientProcess() as process:
        clients = Clients(
            process, TINY_SETTLE_S if args.tiny else SETTLE_S, not args.no_compression
        )
        if not args.tiny:  # first connections, compressors and serialisers: not measured
            for transport in transports:
                run_crosscheck(
                    clients, transport, 2, "own", Workload(2, 0.05), Path(tmp) / f"warm-{transport}"
                )
        for size in sizes:
            sized = work.for_size(size, args.budget)
            workloads[size] = sized
            for shape in ("own",) if size == 1 else ("own", "shared"):
                runs: dict[str, list[Case]] = defaultdict(list)
                for attempt in range(args.repeat):
                    here = Path(tmp) / f"{size}-{shape}-{attempt}"
                    ws_case, schedule = run_crosscheck(
                        clients, "ws", size, shape, sized, here / "ws"
                    )
                    audit_ids = sorted({audit for _, audit, _, _ in schedule})
                    connection_audits = audit_ids if shape == "own" else audit_ids * size
                    runs["baseline-ws"].append(
                        run_baseline(clients, size, shape, schedule, connection_audits)
                    )
                    runs["ws"].append(ws_case)
                    if "sse" in transports:
                        sse_case, _ = run_crosscheck(
                            clients, "sse", size, shape, sized, here / "sse"
                        )
                        runs["sse"].append(sse_case)
                base = combine(runs.pop("baseline-ws"))
                cases.append((base, None))
                for transport_runs in runs.values():
                    case = combine(transport_runs)
                    cases.append((case, case.p99_ms / base.p99_ms))
    figures = {
        "benchmark": "latency",
        "machine": machine(),
        "budget_frames_per_s": args.budget,
        "repeat": args.repeat,
        "websocket_compression": not args.no_compression,
        "workload": {
            str(size): {
                "agents_per_audit": w.agents,
                "progress_per_agent": w.steps,
                "interval_s": w.interval_s,
                "frames_per_connection": w.frames_per_connection(),
            }
            for size, w in workloads.items()
        },
        "cases": [
            {
                **case.__dict__,
                "server_us_per_frame": round(case.server_us_per_frame, 1),
                "p99_vs_baseline": None if ratio is None else round(ratio, 2),
            }
            for case, ratio in cases
        ],
        "goals": goals([case for case, _ in cases]),
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    report(
        "Event latency: sink -> parsed by a client on loopback (ms)",
        [
            "connections",
            "server",
            "samples",
            "p50",
            "p99",
            "max",
            "lost",
            "offered/s",
            "server µs/frame",
            "gc max ms",
            "p99/base",
        ],
        [case.row(ratio) for case, ratio in cases],
        figures,
    )
    return figures


def goals(cases: Sequence[Case]) -> dict[str, Any]:
    """Issue 8's goals, per size and shape, for the WebSocket path (and SSE beside it)."""
    base = {(c.size, c.shape): c for c in cases if c.transport == "baseline-ws"}
    out: dict[str, Any] = {}
    for case in cases:
        if case.transport == "baseline-ws":
            continue
        name = f"{case.transport}_{case.size}_{case.shape}"
        limit = {100: 10.0, 1000: 100.0}.get(case.size)
        checks: dict[str, bool] = {
            "p99_within_2x_baseline": case.p99_ms <= 2 * base[(case.size, case.shape)].p99_ms,
            "nothing_lost": case.lost == 0 and case.errors == 0,
        }
        if limit is not None:
            checks[f"p99_under_{limit:g}_ms"] = case.p99_ms < limit
        out[name] = checks
    return out


if __name__ == "__main__":
    main()
