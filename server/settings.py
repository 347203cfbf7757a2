"""One `Settings` object for the whole server; `crosscheck serve` flags map onto its fields.

A plain frozen dataclass (no environment magic): tests build the smallest one they need,
e.g. `Settings(data_dir=tmp_path, heartbeat_s=0.05)`, and the CLI passes its flags through.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_DATA_DIR = Path("./data")
DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_RUNNING_AUDITS = 4
DEFAULT_AGENT_TIMEOUT_S = 120.0
DEFAULT_HEARTBEAT_S = 15.0
DEFAULT_QUEUE_SIZE = 256
DEFAULT_PROGRESS_PER_S = 4.0
DEFAULT_SSE_RETRY_MS = 2000
DEFAULT_RETRY_AFTER_S = 5
DEFAULT_MAX_MEMOS = 10
# At least one worker per agent, so the four agents of an audit compute at once instead of
# queueing (with one worker on a 2-core machine they ran one after another); on bigger machines
# one per core but one, keeping a core for the event loop. Workers are forks of one warm
# process (server/workers.py) and share most of its memory: about 40 MB each (PSS) on top.
AGENTS_PER_AUDIT = 4
DEFAULT_AGENT_WORKERS = max(AGENTS_PER_AUDIT, (os.cpu_count() or 2) - 1)


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_dir: Path = DEFAULT_DATA_DIR
    # Per uploaded file; a whole request may carry the document, a prior year and memos.
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    max_memos: int = DEFAULT_MAX_MEMOS
    # Audits running at once; one more gets 429 with Retry-After.
    max_running_audits: int = DEFAULT_MAX_RUNNING_AUDITS
    retry_after_s: int = DEFAULT_RETRY_AFTER_S
    agent_timeout_s: float = DEFAULT_AGENT_TIMEOUT_S
    # Worker processes for the default agents' CPU work and for reading uploads (0: threads of
    # the server process, which share the GIL with the event loop and stall it; see
    # server/workers.py).
    agent_workers: int = DEFAULT_AGENT_WORKERS
    # WebSocket heartbeat frames and SSE keep-alive comments on idle connections.
    heartbeat_s: float = DEFAULT_HEARTBEAT_S
    sse_retry_ms: int = DEFAULT_SSE_RETRY_MS
    # Origins allowed to open the WebSocket besides the server's own origin; `localhost`,
    # `127.0.0.1` and `[::1]` on any port are allowed while `allow_localhost` is on.
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    allow_localhost: bool = True
    # Frames buffered per connection before progress is dropped and then the client closed.
    queue_size: int = DEFAULT_QUEUE_SIZE
    # At most this many progress frames per second per agent (0: no limit).
    progress_per_s: float = DEFAULT_PROGRESS_PER_S

    @property
    def max_request_bytes(self) -> int:
        """Cap on a whole upload request, checked from Content-Length before reading it."""
        return self.max_upload_bytes * 3 + 1024 * 1024
