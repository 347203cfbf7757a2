"""Where CPU work runs: in worker processes when the server started them, else a thread.

Why processes: agent and reader code is pure Python. In a thread of the server process it
competes with the event loop for the GIL, and bench/streaming/overhead.py measured loop stalls
of 100-300 ms that way while frames were waiting. A worker process has an interpreter of its
own; the loop only pays for pickling the arguments and the result (the largest bundled document
pickles to 145 KiB in about 3 ms, so documents are sent as they are, not shared).

How workers start: from a fork server (multiprocessing's "forkserver") that imports the
`preload` modules once; every worker is then a fork of that warm process, so starting one costs
milliseconds and the workers share its memory, instead of each importing everything again
(about 1 s of CPU apiece with "spawn"). Nothing here blocks the event loop: jobs are submitted
from a thread, because the first submit waits for the fork server to finish its preload.

Workers never outlive the server: each watches the pipe multiprocessing keeps from its parent
(`parent_process().sentinel`, whose write end only the server holds) and exits when it closes,
however the server ended (a clean stop, SIGTERM, SIGKILL). A pipe rather than
PR_SET_PDEATHSIG: the death signal fires when the *thread* that started the worker exits (here
a short-lived thread), it needs ctypes, and it is Linux-only. The fork server exits once the
server and its workers are gone, and multiprocessing's resource tracker after it. Workers
ignore SIGINT (Ctrl-C reaches the whole process group): the server decides when they stop, and
`close` ends them even mid-job, since a stopping server drops every result anyway.

Progress crosses the process boundary through one queue: the worker calls a picklable proxy
that puts `(token, done, total, message)`, and a listener thread in the server hands each item
to the callback registered under its token (progress callbacks may be called from any thread).
A marker closes each job's items, and `offload` returns only after it was relayed, so progress
never arrives after the result it belongs to. The server only ever reads that queue: a worker
ended mid-`put` (by `close`, or by the kernel) can leave the queue's write lock held for good,
and a stop marker sent through the queue would then never arrive; the listener stops on an
event instead, looking for it between reads.

Each pool of workers has a queue of its own: when a pool breaks (a worker died) its
replacement starts with a fresh queue, since the dead worker may have held the old one's write
lock, which would silence every later worker's progress and markers, or left half an item in
it, which the listener would wait for ever to finish reading (`_end_writes` ends that wait).

Deliberate divergence, as with threads: a job that outlives its agent's time limit is not
killed; it finishes in its worker and its result is discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import itertools
import logging
import multiprocessing as mp
import os
import queue
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait
from multiprocessing.queues import Queue
from typing import Any, TypeVar

from server.progress import Progress

logger = logging.getLogger(__name__)

T = TypeVar("T")
ProgressItem = tuple[int, int, int | None, str | None]

_worker_queue: Queue[ProgressItem] | None = None  # set in each worker process
_DONE = -1  # `done` value of the marker a worker sends after a job's last progress item
_DRAIN_TIMEOUT_S = 2.0
_STOP_GRACE_S = 2.0  # after SIGTERM, before SIGKILL, for a worker to end
_RELAY_POLL_S = 0.05  # how often the progress listener looks whether the pool closed


class _RemoteProgress:
    """The progress callback a worker process sees: forwards to the server by token."""

    def __init__(self, token: int) -> None:
        self.token = token

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        if _worker_queue is not None:
            _worker_queue.put((self.token, done, total, message))


def _init_worker(progress: Queue[ProgressItem]) -> None:
    global _worker_queue
    _worker_queue = progress
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(
            target=_exit_with_parent, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _exit_with_parent(sentinel: int) -> None:
    """Runs in each worker: returns when the server process has gone, then ends the worker."""
    wait([sentinel])
    os._exit(0)


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


def _pid() -> int:
    return os.getpid()


def _context() -> mp.context.BaseContext:
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    return mp.get_context(method)


class WorkerPool:
    """A process pool for CPU work, plus the thread that relays progress from it.

    Creating one is cheap and starts no process: workers start with the first jobs (or
    `start()`), so a server can answer before they are ready, and jobs sent meanwhile wait.
    """

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self._context = _context()
        if preload and hasattr(self._context, "set_forkserver_preload"):
            # The fork server is one per process and keeps the preload it started with.
            self._context.set_forkserver_preload(list(preload))
        self._workers = workers
        self._queue: Queue[ProgressItem] = self._context.Queue()
        self._callbacks: dict[int, Progress] = {}
        self._drained: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False
        self._stopping = threading.Event()
        self._executor = self._new_executor()
        self._listener = threading.Thread(target=self._relay, name="worker-progress", daemon=True)
        self._listener.start()

    @property
    def workers(self) -> int:
        return self._workers

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self._queue,),
        )

    def start(self) -> list[int]:
        """Start every worker now (blocking: call it in a thread); their process ids."""
        futures = [self._submit(_pid)[1] for _ in range(self._workers)]
        return [future.result() for future in futures]

    def pids(self) -> list[int]:
        """The worker processes alive now."""
        processes = getattr(getattr(self, "_executor", None), "_processes", None) or {}
        return [p.pid for p in list(processes.values()) if p.pid is not None and p.is_alive()]

    def _submit(self, fn: Callable[..., T], *args: Any) -> tuple[ProcessPoolExecutor, Future[T]]:
        with self._lock:
            if self._closed:
                raise RuntimeError("The worker pool is closed: the server is stopping.")
            try:
                return self._executor, self._executor.submit(fn, *args)
            except (BrokenProcessPool, OSError):
                # A worker died since the last job: new workers take it. (OSError: the pool was
                # starting a process as it noticed the death and closed its own queues.)
                self._replace(self._executor)
                return self._executor, self._executor.submit(fn, *args)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """With the lock held: new workers, and a new queue, instead of a broken pool, once
        per broken pool."""
        if not self._closed and self._executor is broken:
            logger.error("a worker process died; starting new workers")
            broken.shutdown(wait=False, cancel_futures=True)
            retired, self._queue = self._queue, self._context.Queue()
            self._executor = self._new_executor()
            _end_writes(retired)

    def _relay(self) -> None:
        while not self._stopping.is_set():
            # A replaced pool's queue is left unread: what is still in it belonged to jobs that
            # failed.
            try:
                token, done, total, message = self._queue.get(timeout=_RELAY_POLL_S)
            except queue.Empty:
                continue
            except (OSError, EOFError):  # half an item, then the end: see `_replace`
                continue
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
        executor: ProcessPoolExecutor | None = None
        try:
            # From a thread: a submit may wait for a worker to be forked (see the docstring).
            executor, job = await asyncio.to_thread(
                self._submit, _call, token, fn, args, progress is not None
            )
            result = await asyncio.wrap_future(job)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(drained.wait(), _DRAIN_TIMEOUT_S)
            return result
        except BrokenProcessPool:
            if executor is not None:
                with self._lock:
                    self._replace(executor)
            raise RuntimeError("A worker process stopped unexpectedly.") from None
        finally:
            self._callbacks.pop(token, None)
            self._drained.pop(token, None)

    def close(self) -> None:
        """Stop every worker now, even mid-job, and the progress listener (blocking).

        Then release the pool's semaphores at once rather than at interpreter exit: uvicorn
        re-raises SIGTERM after a graceful shutdown, which ends the process before exit
        handlers run, and the resource tracker would reclaim them with a "leaked semaphore"
        warning.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            executor = self._executor
            processes = list((getattr(executor, "_processes", None) or {}).values())
            # The executor forgets its management thread on the first shutdown call, so a
            # second `shutdown(wait=True)` cannot join it: keep it to join once the workers
            # are gone. Until it ends it holds the executor's queues, whose semaphores would
            # then be released in that thread while the server is already exiting.
            manager = getattr(executor, "_executor_manager_thread", None)
            executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.join(_STOP_GRACE_S)
                if process.is_alive():
                    process.kill()
                    process.join()
        if manager is not None:
            manager.join(_STOP_GRACE_S)  # the workers are gone: it ends at once
        del manager
        _end_writes(self._queue)
        self._stopping.set()
        self._listener.join()
        self._queue.close()
        del processes, executor, self._executor, self._queue
        gc.collect()  # runs the semaphores' finalizers: unlinked, and unregistered


def _end_writes(progress: Queue[ProgressItem]) -> None:
    """Close this process's write end of a queue whose workers are gone.

    A worker killed mid-write leaves half an item in the pipe, and the listener may be reading
    it, waiting for the rest. Once the workers are gone this process holds the last write end:
    closing it turns that wait into an end-of-file. (A queue has no public way to close its
    write end in a process that never wrote to it.)
    """
    with contextlib.suppress(AttributeError, OSError):
        progress._writer.close()  # type: ignore[attr-defined]


_pool: WorkerPool | None = None


def start_workers(workers: int, preload: Sequence[str] = ()) -> WorkerPool | None:
    """Run offloaded work in `workers` processes from now on (0: in threads); non-blocking.

    `preload` names modules the fork server imports once for every worker (importing them may
    load data and warm caches); the processes start with the first jobs, or `pool.start()`.
    """
    global _pool
    if _pool is None and workers > 0:
        _pool = WorkerPool(workers, preload)
    return _pool


def stop_workers() -> None:
    """Stop the workers (blocking, a few ms; up to 2 s for a worker that will not end)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def current_pool() -> WorkerPool | None:
    return _pool


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
