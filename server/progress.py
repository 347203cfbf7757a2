"""Progress callbacks: how long work (reading a document, an agent's checks) says how far it got.

`progress(done, total=None, message=None)` is advisory and may be called from any thread; the
orchestrator rate-limits it and makes `done` monotonic before anything reaches a client.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int | None, str | None], None]


def no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    """The progress callback used when nobody listens."""
