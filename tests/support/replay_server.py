"""A local HTTP server on 127.0.0.1 that replays recorded public responses.

`ReplayServer(root)` serves `root/<url path>` (adding ".json" when the path has none) with HTTP
200, and anything missing with 404 and `not-found.json` when the root has one, like the real
APIs. `overrides` makes a path misbehave the ways real services do: a status code, a body that
is not JSON, or a delay longer than the client's timeout.

    with ReplayServer(FIXTURES / "gleif") as server:
        settings = SourceSettings(gleif_url=server.url, timeout_s=2)
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tests.support import paths

FIXTURES = paths.FIXTURES / "external"


@dataclass(frozen=True, slots=True)
class Override:
    status: int = 200
    body: bytes | None = None  # None: serve the file as usual
    delay_s: float = 0.0


class ReplayServer:
    def __init__(self, root: Path, overrides: dict[str, Override] | None = None) -> None:
        self.root = root
        self.overrides = overrides or {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                replay.requests.append((path, dict(self.headers.items())))
                override = replay.overrides.get(path)
                if override and override.delay_s:
                    time.sleep(override.delay_s)  # a slow service, to exercise client timeouts
                status, body = replay._answer(path, override)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # the client may have given up (timeout test): nothing left to do then
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler

    def _answer(self, path: str, override: Override | None) -> tuple[int, bytes]:
        if override and override.body is not None:
            return override.status, override.body
        file = self.root / path.lstrip("/")
        if file.suffix != ".json":
            file = file.with_name(file.name + ".json")
        if override:
            return override.status, file.read_bytes() if file.is_file() else b"{}"
        if file.is_file() and self.root in file.resolve().parents:
            return 200, file.read_bytes()
        missing = self.root / "not-found.json"
        return 404, missing.read_bytes() if missing.is_file() else b'{"error": "not found"}'
