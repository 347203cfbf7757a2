"""What every streaming benchmark shares: paced agents, the hand-to-sink stamp, the machine
description and the report (a table, then one JSON line).

The server is the tests' `LiveServer` (tests/support/harness.py): it runs exactly as
`crosscheck serve` runs it (`serve.build_server`: uvicorn, the app from `create_app`,
websockets-sansio) on 127.0.0.1, in a thread of the benchmark process with its own event loop;
gates are the tests' `Gate`. The clients always run in another process
(bench/streaming/clients.py).

Latency is measured from the moment the orchestrator hands an event to its sink
(`EventLog.emit`) to the moment a client has parsed the frame. `Stamper` wraps the log's `emit`
on the instance and records `time.perf_counter_ns()` per frame key; frames themselves carry
nothing extra (they stay valid against the closed v1 schema). On Linux `perf_counter_ns` reads
CLOCK_MONOTONIC, one clock for every process on the machine, so server and client stamps
subtract directly.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import os
import platform
import random
import resource
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.streaming.clients import Key, frame_key
from server.agents.base import AuditInputs, Progress
from server.audits.ids import new_audit_id
from server.audits.intake import Upload, loader, sample_uploads
from server.audits.orchestrator import LoadInputs
from server.runtime import Runtime
from server.samples import list_samples, sample_path
from server.settings import Settings
from server.storage import AuditRecord, StoredFile
from tests.support.harness import STATEMENT_MD, Gate, LiveServer
from tests.support.results import AGENTS as AGENT_NAMES
from tests.support.results import result_for

# bench_result's description length before results came from tests/support: frame sizes stay.
FINDING_TEXT_CHARS = 57


# -- process and machine -------------------------------------------------------------------


def raise_nofile_limit() -> int:
    """Lift the soft open-file limit to the hard one (1,000 sockets need more than 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (psutil is not a dependency)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS not found in /proc/self/status (Linux only).")


def settle_memory() -> None:
    """Collect garbage and hand freed arenas back before a memory reading."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # Other work on the machine during the run (the 1-minute load average at the end).
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (NaN when empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-int(fraction * 1_000_000) * len(sorted_values) // 1_000_000))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def median(values: Sequence[float]) -> float:
    return percentile(sorted(values), 0.5)


# -- the report ------------------------------------------------------------------------------


def report(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], figures: dict[str, Any]
) -> None:
    """Print the table, then the figures as the final JSON line (what scripts and tests read)."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="left" if column == columns[0] else "right")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    Console(stderr=False, width=160).print(table)
    sys.stdout.flush()
    print(json.dumps(figures, sort_keys=True), flush=True)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if value != value else f"{value:.2f}"
    return str(value)


# -- gates and agents ------------------------------------------------------------------------


class PacedAgent:
    """A benchmark agent: waits for the gate, then reports `steps` progress frames every
    `interval_s` (after a random phase, so audits do not tick in lockstep) and completes.

    It does no work of its own: it drives the streaming path at a known rate.
    """

    def __init__(
        self, name: str, gate: Gate, steps: int, interval_s: float, findings: int = 0, seed: int = 8
    ) -> None:
        self.name = name
        self.gate = gate
        self.steps = steps
        self.interval_s = interval_s
        self.result = result_for(name, findings, padding=FINDING_TEXT_CHARS)
        self._random = random.Random(f"{seed}-{name}")

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        await self.gate.wait()
        await asyncio.sleep(self._random.uniform(0, self.interval_s))
        for step in range(1, self.steps + 1):
            if progress is not None:
                progress(step, self.steps, f"Checked {step} of {self.steps} tables")
            await asyncio.sleep(self.interval_s)
        return self.result


def paced_team(
    gate: Gate, steps: int, interval_s: float, findings: int = 20
) -> dict[str, PacedAgent]:
    return {
        name: PacedAgent(name, gate, steps, interval_s, findings if name == "numeric" else 0)
        for name in AGENT_NAMES
    }


def real_agents() -> tuple[dict[str, Any], list[str]]:
    """The project's agents that import today; the others are reported as missing."""
    found: dict[str, Any] = {}
    missing: list[str] = []
    for name in AGENT_NAMES:
        module_name = f"server.agents.{name}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # absent, or being rewritten by its owner
            missing.append(f"{name} ({exc})")
            continue
        found[name] = module.run
    if not found:
        raise RuntimeError(f"No agent imports; missing: {missing}")
    return found, missing


def gated(agent: Any, gate: Gate) -> Callable[..., Coroutine[Any, Any, Any]]:
    async def run(inputs: AuditInputs, progress: Progress | None = None) -> Any:
        await gate.wait()
        return await agent(inputs, progress)

    return run


def largest_sample() -> tuple[str, list[Upload]]:
    """The bundled sample with the biggest document, as the uploads a user would send."""
    entry = max(list_samples(), key=lambda s: sample_path(s["document"]).stat().st_size)
    return str(entry["name"]), sample_uploads(entry["name"])


# -- the server ------------------------------------------------------------------------------


def subscribers(server: LiveServer, audit_ids: Sequence[str]) -> int:
    log = server.runtime.log
    return sum(log.subscriber_count(a) for a in set(audit_ids))


def wait_subscribers(server: LiveServer, audit_ids: Sequence[str], count: int) -> None:
    """Until `count` clients follow these audits (no deadline: the clients have their own)."""
    while subscribers(server, audit_ids) < count:
        time.sleep(0.01)


def bench_settings(data_dir: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, **overrides)


async def start_audit(
    rt: Runtime, uploads: Sequence[Upload], gate: Gate | None = None, sample: str | None = None
) -> str:
    """Like intake.start_audit, but the audit's loading (parsing) may wait for `gate`, so
    subscribers can connect first and the wall time starts when the gate opens."""
    reservation = rt.orchestrator.reserve()
    audit_id = new_audit_id()
    counters: dict[str, int] = {}
    stored = []
    for upload in uploads:
        position = counters.get(upload.role, 0)
        counters[upload.role] = position + 1
        stored.append(StoredFile(upload.role, position, upload.filename, upload.data))
    await asyncio.to_thread(rt.documents.save, audit_id, stored)
    document = next(u for u in uploads if u.role == "document")
    rt.audits.create_audit(
        AuditRecord(
            audit_id=audit_id,
            created_at=time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            document_name=document.filename,
            state="pending",
            sample=sample,
        )
    )
    load: LoadInputs = loader(rt.documents, audit_id)
    if gate is not None:
        load = _gated_load(load, gate)
    rt.orchestrator.start(audit_id, load, reservation)
    return audit_id


def _gated_load(load: LoadInputs, gate: Gate) -> LoadInputs:
    async def gated_load() -> AuditInputs:
        await gate.wait()
        return await load()

    return gated_load


async def start_audits(rt: Runtime, count: int, uploads: Sequence[Upload]) -> list[str]:
    """Start `count` audits, a few at a time (each stores its upload in a worker thread)."""
    ids: list[str] = []
    batch = 32
    for first in range(0, count, batch):
        ids.extend(
            await asyncio.gather(
                *(start_audit(rt, uploads) for _ in range(min(batch, count - first)))
            )
        )
    return ids


def statement_upload() -> list[Upload]:
    return [Upload("document", "statement.md", STATEMENT_MD)]


# -- the stamp -------------------------------------------------------------------------------


class LagProbe:
    """A task in the server's loop that sleeps `interval_s` again and again and records how
    late it wakes: the longest lateness is the longest stall any frame could have suffered."""

    def __init__(self, interval_s: float = 0.002) -> None:
        self.interval_s = interval_s
        self.lags_ms: list[float] = []
        self._stop: asyncio.Event | None = None

    async def run(self, started: threading.Event) -> None:
        self._stop = asyncio.Event()
        started.set()
        while not self._stop.is_set():
            before = time.perf_counter()
            await asyncio.sleep(self.interval_s)
            self.lags_ms.append((time.perf_counter() - before - self.interval_s) * 1000)

    def start(self, server: LiveServer) -> None:
        started = threading.Event()
        self._future = asyncio.run_coroutine_threadsafe(self.run(started), server.loop)
        started.wait(10)

    def stop(self, server: LiveServer) -> list[float]:
        if self._stop is not None:
            server.loop.call_soon_threadsafe(self._stop.set)
        self._future.result(10)
        return self.lags_ms


class GcPauses:
    """Records how long each garbage collection in this process took (every thread stops)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float, int]] = []  # (start ns, ms, generation)
        self._started = 0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter_ns()
            return
        took = (time.perf_counter_ns() - self._started) / 1e6
        self.pauses.append((self._started, took, info["generation"]))

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def between(self, first_ns: int, last_ns: int) -> tuple[float, int]:
        """(longest pause in ms, number of full collections) that began in the window."""
        inside = [(ms, gen) for at, ms, gen in self.pauses if first_ns <= at <= last_ns]
        longest = max((ms for ms, _ in inside), default=0.0)
        return round(longest, 1), sum(gen == 2 for _, gen in inside)


class Stamper:
    """Wraps `EventLog.emit` (on the instance): the time each frame is handed to the sink.

    Keeps each frame's text too, so the baseline can replay exactly the same frames later. It
    keeps strings, not the event models: thousands of live models would make the server's
    garbage collections longer and measure the harness. A log event's text is the one the log
    itself serialised (`append` returns it); a progress frame is serialised once more, after
    it was handed over.
    """

    def __init__(self, rt: Runtime, record: bool = True) -> None:
        """`record=False` keeps only the finish times (the memory benchmark)."""
        self.stamps: dict[Key, int] = {}
        self.frames: list[tuple[int, Key, str]] = []  # (stamp, key, text)
        self.finished: dict[str, int] = {}  # audit id -> when audit_finished was handed over
        log = rt.log
        original_emit, original_append = log.emit, log.append
        appended: list[Any] = []

        def append(event: Any) -> Any:
            wire = original_append(event)
            appended.append(wire)
            return wire

        async def emit(event: Any) -> None:
            now = time.perf_counter_ns()
            if event.type == "audit_finished":
                self.finished[event.audit_id] = now
            if not record:
                await original_emit(event)
                return
            key = frame_key(
                event.audit_id,
                event.type,
                getattr(event, "seq", None),
                getattr(event, "agent", None),
                getattr(event, "done", None),
            )
            appended.clear()
            await original_emit(event)
            if key is not None:
                self.stamps[key] = now
                text = appended[0].text if appended else event.model_dump_json()
                self.frames.append((now, key, text))

        if record:
            log.append = append  # type: ignore[method-assign]
        log.emit = emit  # type: ignore[method-assign]
