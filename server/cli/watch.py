"""`crosscheck watch AUDIT_ID`: follow an audit running on a server, resuming by itself.

The cursor is the view's `last_seq` (the reduction drops anything at or below it), so every
reconnect asks for `?after=<last seq>` and nothing is shown twice or missed. A close before
`audit_finished` (server restart 1001, slow client 1013, a dropped network) is an interruption:
reconnect with capped, jittered backoff (0.25 s doubling to 10 s, each wait a random half to
all of it). The backoff starts again only once a frame arrives, so a server that accepts and
closes at once is retried ever more slowly, not several times a second. A heartbeat naming a
newer seq than the view holds means events went missing: reconnect from the cursor rather than
leave a silent gap.

It stops for good only on `audit_finished`, on an unknown audit (4404) or a refused request
(4400/4403), or when nothing arrived from the server for `--give-up-after` seconds (exit 3).
When the server cannot be reached it says so at once, on stderr, then keeps trying. When
whoever reads its output goes away (`crosscheck watch ID --json | head -n 1`), it stops quietly
with status 141, as a program ended by SIGPIPE does. Other exit codes are those of
`crosscheck audit`.
"""

# Without `from __future__ import annotations`: typer reads these signatures at every start,
# and finding objects there, not strings to parse, saves about 4 ms (bench/e2e).

import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated
from urllib.parse import quote, urlsplit, urlunsplit

import typer

from generated.codes import REFUSED_CLOSE_CODES
from server.cli import exiting, messages
from server.cli.outcome import EXIT_BAD_INPUT, EXIT_INCOMPLETE, AuditTracker, exit_code

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_GIVE_UP_S = 300.0
BACKOFF_FIRST_S = 0.25
BACKOFF_MAX_S = 10.0
MAX_FRAME_BYTES = 64 * 1024 * 1024
BEHIND = "behind"
EXIT_OUTPUT_CLOSED = 141  # 128 + SIGPIPE


class OutputClosed(Exception):
    """Whoever read our standard output has gone (a closed pipe): nothing left to do."""


class WatchFailed(Exception):
    """The audit cannot be followed: unknown, refused, or the server stayed unreachable."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def stream_url(base_url: str, audit_id: str, after: int) -> str:
    """ws(s)://host/ws/audit/{id}?after=N from an http(s) or ws(s) base URL."""
    parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = f"{parts.path.rstrip('/')}/ws/audit/{quote(audit_id, safe='')}"
    return urlunsplit((scheme, parts.netloc, path, f"after={after}", ""))


def backoff_s(attempt: int) -> float:
    """A random half to all of a ceiling that doubles from BACKOFF_FIRST_S up to BACKOFF_MAX_S
    (the exponent capped too: a long outage must not overflow the float)."""
    ceiling = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** min(max(0, attempt - 1), 32))
    return ceiling / 2 + random.random() * ceiling / 2


async def follow(
    audit_id: str,
    base_url: str,
    view: AuditTracker,
    *,
    json_lines: bool = False,
    give_up_after_s: float = DEFAULT_GIVE_UP_S,
    notify: Callable[[str], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Feed the audit's frames into `view` until `audit_finished`.

    Raises WatchFailed, or OutputClosed when printing JSON lines to a closed pipe. `notify`
    hears, once per outage, that the server cannot be reached. `sleep` and `clock` are the
    waits and the time the give-up is measured on (a test passes a fake pair).
    """
    # Imported here: every `crosscheck` command imports this module, few of them follow a stream.
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

    attempt = 0
    last_contact = clock()
    told = False
    while not view.finished:
        code: int | None = None
        reason = ""
        url = stream_url(base_url, audit_id, view.snapshot["last_seq"])
        try:
            async with connect(url, max_size=MAX_FRAME_BYTES, open_timeout=10) as socket:
                view.connection = "live"
                async for message in socket:
                    last_contact = clock()
                    attempt, told = 0, False
                    if _take(view, message, json_lines) == BEHIND:
                        reason = "a heartbeat showed events this client has not received"
                        break
                code, reason = socket.close_code, socket.close_reason or reason
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd else None
            reason = exc.rcvd.reason if exc.rcvd else ""
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            reason = str(exc) or type(exc).__name__
            if notify is not None and not told:
                notify(
                    f"Cannot reach {base_url} ({reason}); trying again for up to "
                    f"{give_up_after_s:g} s."
                )
                told = True
        except InvalidURI as exc:
            raise WatchFailed(f"{base_url!r} is not a server URL.", EXIT_BAD_INPUT) from exc
        if view.finished:
            break
        if code in REFUSED_CLOSE_CODES:
            raise WatchFailed(reason or f"The server refused (close code {code}).", EXIT_BAD_INPUT)
        if clock() - last_contact > give_up_after_s:
            raise WatchFailed(
                f"No contact with {base_url} for {give_up_after_s:g} s ({reason}).",
                EXIT_INCOMPLETE,
            )
        attempt += 1
        delay = backoff_s(attempt)
        view.connection = f"reconnecting in {delay:.1f} s (attempt {attempt})"
        await sleep(delay)
    view.connection = None


def _take(view: AuditTracker, message: str | bytes, json_lines: bool) -> str | None:
    """Apply one frame; BEHIND when a heartbeat names a seq this client never received."""
    text = message.decode() if isinstance(message, bytes) else message
    try:
        frame = json.loads(text)
    except json.JSONDecodeError:
        return None  # Not a frame this version understands.
    if not isinstance(frame, dict):
        return None
    if frame.get("type") == "heartbeat":
        last = frame.get("last_seq")
        if isinstance(last, int) and last > view.snapshot["last_seq"]:
            return BEHIND
    seq = frame.get("seq")
    repeated = isinstance(seq, int) and seq <= view.snapshot["last_seq"]
    if json_lines and not repeated:
        try:
            sys.stdout.write(text.rstrip("\n") + "\n")
            sys.stdout.flush()
        except BrokenPipeError as exc:  # an OSError: never mistake it for a lost connection
            raise OutputClosed from exc
    view.feed(frame)
    return None


def watch(
    audit_id: Annotated[str, typer.Argument(help="The audit to follow.")],
    url: Annotated[str, typer.Option("--url", help="The Crosscheck server.")] = DEFAULT_URL,
    json_lines: Annotated[
        bool, typer.Option("--json", help="Print the frames as JSON lines instead.")
    ] = False,
    give_up_after: Annotated[
        float, typer.Option(help="Stop after this many seconds without reaching the server.")
    ] = DEFAULT_GIVE_UP_S,
) -> None:
    """Follow an audit on a server until it finishes; exit codes as for `audit`."""
    exiting.arm()

    def notify(message: str) -> None:
        messages.notice("watch", message)

    view: AuditTracker
    live: AbstractContextManager[object]
    if json_lines:
        view, live = AuditTracker(audit_id), nullcontext()
    else:
        from server.cli.view import live_view  # rich: only to draw (server/cli/outcome.py)

        view, live = live_view(audit_id)

    async def run() -> None:
        with live:
            await follow(
                audit_id,
                url,
                view,
                json_lines=json_lines,
                give_up_after_s=give_up_after,
                notify=notify,
            )

    try:
        asyncio.run(run())
    except WatchFailed as exc:
        messages.error("watch", str(exc))
        raise typer.Exit(exc.exit_code) from exc
    except (OutputClosed, BrokenPipeError):
        discard_stdout()
        raise typer.Exit(EXIT_OUTPUT_CLOSED) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    raise typer.Exit(exit_code(view.snapshot))


def discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit does not fail on the
    closed pipe and print "Exception ignored ... BrokenPipeError"."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
