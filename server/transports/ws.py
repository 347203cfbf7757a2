"""`WS /ws/audit/{audit_id}[?after=N]`: a cursor over an audit's event log.

Accept first, then refuse with a close code (closing before accept shows the browser only
1006). A served connection races four tasks in one task group; the first to finish decides the
close code and cancels the rest:
- sender: replay after the cursor, then live frames; after `audit_finished` -> 1000;
- heartbeat: a heartbeat frame when nothing was sent for `heartbeat_s`;
- receiver: text from the client is ignored; a disconnect ends the connection (never the audit);
- watchers: the buffer overflowed (slow client) -> 1013, or the server is going away -> 1001.
A bug anywhere in the stream closes it with 1011 (logged), never with a silent 1006.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from server.events import heartbeat
from server.log import Follower, FollowerClosed, FollowerTooSlow, Wire
from server.runtime import Runtime, RuntimeDep
from server.settings import Settings
from server.transports import codes

logger = logging.getLogger(__name__)
router = APIRouter(tags=["stream"])

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CLOSE_TIMEOUT_S = 5.0
GONE = None  # the client disconnected: nothing to close


@router.websocket("/ws/audit/{audit_id}")
async def audit_stream(websocket: WebSocket, audit_id: str, rt: RuntimeDep) -> None:
    await websocket.accept()
    origin = websocket.headers.get("origin")
    if not origin_allowed(origin, websocket.headers.get("host"), rt.settings):
        await _close(
            websocket, codes.WS_4403_ORIGIN_NOT_ALLOWED, f"Origin {origin!r} is not allowed."
        )
        return
    after = parse_cursor(websocket.query_params.get("after"))
    if after is None:
        await _close(websocket, codes.WS_4400_BAD_PARAMETER, "after must be a whole number >= 0.")
        return
    if not codes.is_audit_id(audit_id) or not rt.log.exists(audit_id):
        await _close(websocket, codes.WS_4404_UNKNOWN_AUDIT, f"No audit {audit_id!r}.")
        return
    last = rt.log.last_seq(audit_id)
    if after > last:
        await _close(
            websocket,
            codes.WS_4400_BAD_PARAMETER,
            f"after={after} is beyond the newest event ({last}).",
        )
        return
    rt.connection_opened()
    try:
        with rt.log.follow(audit_id, after) as follower:
            code = await _serve(websocket, follower, rt)
    except Exception:
        logger.exception("WebSocket stream of audit %s failed", audit_id)
        code = codes.WS_1011_INTERNAL_ERROR
    finally:
        rt.connection_closed()
    if code is not GONE:
        await _close(websocket, code, _REASONS.get(code, ""))


_REASONS = {
    codes.WS_1000_NORMAL: "Audit finished.",
    codes.WS_1001_GOING_AWAY: "Server shutting down; reconnect with ?after=<last seq>.",
    codes.WS_1013_TRY_AGAIN_LATER: "Client too slow; reconnect with ?after=<last seq>.",
    codes.WS_1011_INTERNAL_ERROR: "Internal error; reconnect with ?after=<last seq>.",
}


async def _serve(websocket: WebSocket, follower: Follower, rt: Runtime) -> int | None:
    last_send = time.monotonic()

    async def send() -> int | None:
        nonlocal last_send
        try:
            async for wire in follower:
                await websocket.send_text(wire.text)
                last_send = time.monotonic()
        except FollowerTooSlow:
            return codes.WS_1013_TRY_AGAIN_LATER
        except FollowerClosed:
            return codes.WS_1001_GOING_AWAY
        except (WebSocketDisconnect, OSError):
            return GONE
        return codes.WS_1000_NORMAL

    async def beat() -> int | None:
        nonlocal last_send
        interval = rt.settings.heartbeat_s
        if interval <= 0:
            await anyio.sleep_forever()
        while True:
            await anyio.sleep(max(0.0, last_send + interval - time.monotonic()))
            if time.monotonic() - last_send >= interval:
                frame = heartbeat(follower.audit_id, rt.log.last_seq(follower.audit_id))
                follower.offer(Wire(type=frame.type, text=frame.model_dump_json()))
                last_send = time.monotonic()

    async def receive() -> int | None:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return GONE

    async def too_slow() -> int | None:
        await follower.wait_overflow()
        return codes.WS_1013_TRY_AGAIN_LATER

    async def going_away() -> int | None:
        await rt.going_away.wait()
        return codes.WS_1001_GOING_AWAY

    return await first_of(send, beat, receive, too_slow, going_away)


async def first_of(*tasks: Callable[[], Awaitable[int | None]]) -> int | None:
    """Run the tasks in one task group; the first to return wins and cancels the others."""
    results: list[int | None] = []

    async def run(task: Callable[[], Awaitable[int | None]]) -> None:
        outcome = await task()
        if not results:
            results.append(outcome)
        group.cancel_scope.cancel()

    async with anyio.create_task_group() as group:
        for task in tasks:
            group.start_soon(run, task)
    return results[0] if results else GONE


async def _close(websocket: WebSocket, code: int, text: str) -> None:
    """Close with a code; a client that stopped reading cannot block us for long."""
    with anyio.move_on_after(CLOSE_TIMEOUT_S):
        try:
            await websocket.close(code, codes.reason(text))
        except (WebSocketDisconnect, OSError, RuntimeError):
            logger.debug("client left before the close frame (code %s)", code)


def parse_cursor(raw: str | None) -> int | None:
    """`?after=N`: absent means 0; anything but a plain non-negative integer is None."""
    if raw is None or raw == "":
        return 0
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def origin_allowed(origin: str | None, host: str | None, settings: Settings) -> bool:
    """No Origin (not a browser), the server's own origin, localhost, or a configured origin."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if host is not None and parts.netloc.lower() == host.lower():
        return True
    if settings.allow_localhost and (parts.hostname or "") in LOCAL_HOSTS:
        return True
    allowed = {o.rstrip("/").lower() for o in settings.allowed_origins}
    return "*" in allowed or origin.rstrip("/").lower() in allowed
