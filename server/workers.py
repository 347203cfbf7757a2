"""Where agents' CPU work runs: in worker processes when the server started them, else a thread.

Why processes: agent code is pure Python. In a thread of the server process it competes with
the event loop for the GIL, and bench/streaming/overhead.py measured loop stalls of 100-300 ms
that way while frames were waiting. A worker process has an interpreter of its own; the loop
only pays for pickling the document and the result (a few ms).

Progress crosses the process boundary through one queue: the worker calls a picklable proxy
that puts `(token, done, total, message)`, and a listener thread in the server hands each item
to the callback registered under its token (progress callbacks may be called from any thread).
A marker closes each job's items, and `offload` returns only after it was relayed, so progress
never arrives after the result it belongs to.

Deliberate divergence, as with threads: a job that outlives its agent's time limit is not
killed; it finishes in its worker and its result is discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import multiprocessing as mp
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import Queue
from typing import Any, TypeVar

from server.progress import Progress

logger = logging.getLogger(__name__)

T = TypeVar("T")
ProgressItem = tuple[int, int, int | None, str | None]

_worker_queue: Queue[ProgressItem | None] | None = None  # set in each worker process
_DONE = -1  # `done` value of the marker a worker sends after a job's last progress item
_DRAIN_TIMEOUT_S = 2.0


class _RemoteProgress:
    """The progress callback a worker process sees: forwards to the server by token."""

    def __init__(self, token: int) -> None:
        self.token = token

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if _worker_queue is not None:
            _worker_queue.put((self.token, done, total, message))


def _init_worker(queue: Queue[ProgressItem | None], warm_up: Callable[[], None] | None) -> None:
    global _worker_queue
    _worker_queue = queue
    if warm_up is not None:
        warm_up()


def _call(token: int, fn: Callable[..., T], args: tuple[Any, ...], with_progress: bool) -> T:
    """Runs in a worker. The closing marker follows the job's progress through the same queue,
    so the server has relayed every progress item before it sees the result."""
    try:
        if with_progress:
            return fn(*args, progress=_RemoteProgress(token))
        return fn(*args)
    finally:
        if _worker_queue is not None:
            _worker_queue.put((token, _DONE, None, None))


def _ready() -> bool:
    return True


class WorkerPool:
    """A process pool for agent work, plus the thread that relays progress from it."""

    def __init__(self, workers: int, warm_up: Callable[[], None] | None = None) -> None:
        self._context = mp.get_context("spawn")  # no fork of a threaded server process
        self._warm_up = warm_up
        self._workers = workers
        self._queue: Queue[ProgressItem | None] = self._context.Queue()
        self._callbacks: dict[int, Progress] = {}
        self._drained: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._tokens = itertools.count(1)
        self._executor = self._new_executor()
        self._listener = threading.Thread(target=self._relay, name="agent-progress", daemon=True)
        self._listener.start()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self._queue, self._warm_up),
        )

    def start(self) -> None:
        """Start every worker now (blocking), so the first audit does not pay for it."""
        for future in [self._executor.submit(_ready) for _ in range(self._workers)]:
            future.result()

    def _relay(self) -> None:
        while (item := self._queue.get()) is not None:
            token, done, total, message = item
            if done == _DONE:
                drained = self._drained.pop(token, None)
                if drained is not None:
                    loop, event = drained
                    loop.call_soon_threadsafe(event.set)
                continue
            callback = self._callbacks.get(token)
            if callback is not None:
                callback(done, total, message)

    async def run(self, fn: Callable[..., T], *args: Any, progress: Progress | None) -> T:
        token = next(self._tokens)
        drained = asyncio.Event()
        self._drained[token] = (asyncio.get_running_loop(), drained)
        if progress is not None:
            self._callbacks[token] = progress
        job = self._executor.submit(_call, token, fn, args, progress is not None)
        try:
            result = await asyncio.wrap_future(job)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(drained.wait(), _DRAIN_TIMEOUT_S)
            return result
        except BrokenProcessPool:
            logger.error("an agent worker process died; starting a new pool")
            self._executor = self._new_executor()
            raise RuntimeError("An agent worker process stopped unexpectedly.") from None
        finally:
            self._callbacks.pop(token, None)
            self._drained.pop(token, None)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._queue.put(None)


_pool: WorkerPool | None = None


def start_workers(workers: int, warm_up: Callable[[], None] | None = None) -> None:
    """Run agent work in `workers` processes from now on (blocking while they start)."""
    global _pool
    if _pool is None and workers > 0:
        pool = WorkerPool(workers, warm_up)
        pool.start()
        _pool = pool


def stop_workers() -> None:
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.close()


async def offload(fn: Callable[..., T], *args: Any, progress: Progress | None = None) -> T:
    """Run `fn(*args)` (and `progress=` when given) off the event loop.

    `fn` and its arguments must be picklable (module-level functions, plain data), since they
    may travel to a worker process.
    """
    pool = _pool
    if pool is not None:
        return await pool.run(fn, *args, progress=progress)
    if progress is None:
        return await asyncio.to_thread(fn, *args)
    return await asyncio.to_thread(functools.partial(fn, *args, progress=progress))
