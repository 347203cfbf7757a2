"""`crosscheck audit FILE --url URL [--previous AUDIT_ID]`: the audit runs on a server.

The files are uploaded (`POST /api/v1/audits`, with `previous` for the next draft of an earlier
audit), then the audit is followed exactly as `crosscheck watch` follows it (resuming by
cursor). For a draft, the comparison with the earlier draft comes a moment after
`audit_finished` (it is written to the audit's review log when the agents have finished), so
the command waits for it and prints it: new and resolved findings, decisions carried forward;
with `--json` the review log's frames follow the audit's frames as JSON lines.

Exit codes are those of `crosscheck audit`: a refused upload (unknown earlier audit, unsupported
file) is 2 (bad input); a server that cannot be reached, or an audit that did not finish, is 3.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from rich.console import Console
from rich.text import Text
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from server.cli.outcome import EXIT_BAD_INPUT, EXIT_INCOMPLETE
from server.cli.view import live_view
from server.cli.watch import MAX_FRAME_BYTES, WatchFailed, follow

COMPARED_STATES = ("completed", "completed_with_errors")
DRAFT_WAIT_S = 30.0
UPLOAD_TIMEOUT_S = 120.0


def http_base(base_url: str) -> str:
    parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def review_url(base_url: str, audit_id: str, after: int = 0) -> str:
    """ws(s)://host/ws/audit/{id}/review?after=N from an http(s) or ws(s) base URL."""
    parts = urlsplit(http_base(base_url))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = f"{parts.path}/ws/audit/{quote(audit_id, safe='')}/review"
    return urlunsplit((scheme, parts.netloc, path, f"after={after}", ""))


async def submit(
    base_url: str, document: Path, prior_year: Path | None, memos: list[Path], previous: str | None
) -> str:
    """Upload the files; returns the new audit's id or raises WatchFailed."""
    files: list[tuple[str, tuple[str, bytes]]] = [
        ("document", (document.name, document.read_bytes()))
    ]
    if prior_year is not None:
        files.append(("prior_year", (prior_year.name, prior_year.read_bytes())))
    files.extend(("memos", (memo.name, memo.read_bytes())) for memo in memos)
    data = {"previous": previous} if previous else {}
    base = http_base(base_url)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=UPLOAD_TIMEOUT_S) as client:
            response = await client.post("/api/v1/audits", files=files, data=data)
    except httpx.InvalidURL as exc:
        raise WatchFailed(f"{base_url!r} is not a server URL.", EXIT_BAD_INPUT) from exc
    except httpx.HTTPError as exc:
        raise WatchFailed(f"Cannot reach {base}: {exc}", EXIT_INCOMPLETE) from exc
    if response.status_code != 202:
        detail = _detail(response)
        code = EXIT_BAD_INPUT if 400 <= response.status_code < 500 else EXIT_INCOMPLETE
        raise WatchFailed(f"The server refused the audit ({response.status_code}): {detail}", code)
    return str(response.json()["audit_id"])


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)


async def wait_for_comparison(
    base_url: str, audit_id: str
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The draft's ReviewState once its review log holds the comparison, and the review log's
    frames up to it; (None, frames so far) when none comes within DRAFT_WAIT_S.

    Follows the review stream rather than polling: `drafts_compared` and the carried decisions
    are appended in one step, so once it arrives the state read over REST is complete, and the
    frames are read on to that state's last seq."""
    frames: list[dict[str, Any]] = []
    state: dict[str, Any] | None = None
    try:
        async with asyncio.timeout(DRAFT_WAIT_S):
            async with connect(review_url(base_url, audit_id), max_size=MAX_FRAME_BYTES) as ws:
                async for message in ws:
                    frame = json.loads(message)
                    if not isinstance(frame, dict) or not isinstance(frame.get("seq"), int):
                        continue  # a heartbeat
                    frames.append(frame)
                    if frame.get("type") == "drafts_compared":
                        state = await _review_state(base_url, audit_id)
                    if state is not None and frame["seq"] >= state["last_seq"]:
                        break
    except (OSError, InvalidHandshake, ConnectionClosed, TimeoutError, ValueError):
        pass  # what arrived so far; a missing comparison is said by the caller
    return state, frames


async def _review_state(base_url: str, audit_id: str) -> dict[str, Any] | None:
    path = f"/api/v1/audits/{quote(audit_id, safe='')}/review"
    async with httpx.AsyncClient(base_url=http_base(base_url), timeout=10) as client:
        response = await client.get(path)
    state = response.json() if response.status_code == 200 else None
    return state if isinstance(state, dict) and "drafts" in state else None


def describe_comparison(state: dict[str, Any]) -> Text:
    drafts = state["drafts"]
    findings = state["findings"]
    new = [f for f in findings if f.get("draft") == "new"]
    persisting = [f for f in findings if f.get("draft") == "persisting"]
    carried = [f for f in findings if any("carried_from" in h for h in f["history"])]
    text = Text.assemble(
        ("Against the earlier draft ", "bold"),
        (drafts["previous_audit_id"], "bold"),
        f": {len(new)} new, {len(persisting)} persisting, {len(drafts['resolved'])} resolved; "
        f"{len(carried)} decision(s) carried forward.",
    )
    for finding in new:
        text.append(f"\n  NEW       {finding.get('title', finding['finding_id'])}", "yellow")
    for finding in drafts["resolved"]:
        text.append(f"\n  RESOLVED  {finding['title']}", "green")
    for finding in carried:
        text.append(
            f"\n  CARRIED   {finding.get('title', finding['finding_id'])}: {finding['decision']}",
            "dim",
        )
    return text


async def run_remote(
    base_url: str,
    document: Path,
    prior_year: Path | None,
    memos: list[Path],
    previous: str | None,
    *,
    console: Console,
    json_lines: bool,
) -> dict[str, Any]:
    """Submit, follow to the end, show the drafts comparison; returns the audit's snapshot."""
    audit_id = await submit(base_url, document, prior_year, memos, previous)
    view, live = live_view(audit_id, console)
    if json_lines:
        await follow(audit_id, base_url, view, json_lines=True)
    else:
        console.print(
            Text.assemble(("Audit ", "bold"), (audit_id, "bold"), f" on {http_base(base_url)}")
        )
        with live:
            await follow(audit_id, base_url, view)
    if previous and view.snapshot["state"] in COMPARED_STATES:
        state, frames = await wait_for_comparison(base_url, audit_id)
        if state is None:
            console.print(Text("The comparison with the earlier draft did not arrive.", "yellow"))
        elif json_lines:
            for frame in frames:
                sys.stdout.write(json.dumps(frame, separators=(",", ":")) + "\n")
            sys.stdout.flush()
        else:
            console.print(describe_comparison(state))
    return view.snapshot
