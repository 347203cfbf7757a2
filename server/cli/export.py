"""`crosscheck export AUDIT_ID --format xlsx|docx|csv|json --url URL -o FILE`: a working paper
from an audit on a running server (GET /api/v1/audits/{id}/export), written to a file.

Exit codes as the other commands: 0 written; 2 bad input (unknown audit, unknown format, a Word
copy of an upload that is not a .docx, a file that cannot be written); 3 the server could not
be reached or failed, so nothing was written. An audit that is still running is exported as it
stands, with a warning: its working paper shows what has finished.
"""

# Without `from __future__ import annotations`: typer reads these signatures at every start,
# and finding objects there, not strings to parse, saves about 4 ms (bench/e2e).

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote, unquote, urlsplit

import typer

from server.cli import exiting, messages
from server.cli.outcome import EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_OK
from server.cli.watch import DEFAULT_URL

if TYPE_CHECKING:
    import httpx

TIMEOUT_S = 120.0
RUNNING_STATES = frozenset({"pending", "running"})


class Format(StrEnum):
    XLSX = "xlsx"
    DOCX = "docx"
    CSV = "csv"
    JSON = "json"


class ExportFailed(Exception):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def fetch(base_url: str, audit_id: str, fmt: str) -> tuple[bytes, str, str | None]:
    """(file bytes, file name the server suggests, audit state) or ExportFailed."""
    base = (base_url if "://" in base_url else f"http://{base_url}").rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        raise ExportFailed(f"{base_url!r} is not a server URL (http://host:port).", EXIT_BAD_INPUT)
    audit = quote(audit_id, safe="")
    import httpx  # here, not at the top: every `crosscheck` command would load the HTTP client

    try:
        with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:
            state = None
            snapshot = client.get(f"/api/v1/audits/{audit}")
            if snapshot.status_code == 200:
                state = snapshot.json().get("state")
            response = client.get(f"/api/v1/audits/{audit}/export", params={"format": fmt})
    except httpx.HTTPError as exc:
        raise ExportFailed(
            f"Cannot reach the Crosscheck server at {base} ({exc.__class__.__name__}: {exc}).",
            EXIT_INCOMPLETE,
        ) from exc
    if response.status_code != 200:
        detail = _problem_detail(response)
        code = EXIT_BAD_INPUT if 400 <= response.status_code < 500 else EXIT_INCOMPLETE
        raise ExportFailed(f"The server refused ({response.status_code}): {detail}", code)
    name = _suggested_name(response.headers.get("content-disposition", ""))
    return response.content, name or f"crosscheck-{audit_id}.{fmt}", state


def _problem_detail(response: "httpx.Response") -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return response.reason_phrase


def _suggested_name(disposition: str) -> str | None:
    utf8 = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if utf8:
        return Path(unquote(utf8.group(1))).name or None
    plain = re.search(r'filename="([^"]+)"', disposition)
    return Path(plain.group(1)).name if plain else None


def export(
    audit_id: Annotated[str, typer.Argument(help="The audit to export.")],
    format: Annotated[
        Format, typer.Option("--format", "-f", help="xlsx, docx, csv or json.")
    ] = Format.XLSX,
    url: Annotated[str, typer.Option("--url", help="The Crosscheck server.")] = DEFAULT_URL,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (default: the server's name)."),
    ] = None,
) -> None:
    """Write an audit's working paper (workbook, commented Word copy, CSV or JSON) to a file."""
    exiting.arm()
    try:
        data, suggested, state = fetch(url, audit_id, format.value)
        target = output if output is not None else Path(suggested)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise ExportFailed(
                f"Cannot write {str(target)!r}: {exc.strerror}.", EXIT_BAD_INPUT
            ) from exc
    except ExportFailed as exc:
        messages.error("export", str(exc))
        raise typer.Exit(exc.exit_code) from exc
    if state in RUNNING_STATES:
        messages.warning(
            "export",
            f"audit {audit_id} is still {state}; the working paper shows what has finished so far.",
        )
    typer.echo(f"Wrote {target} ({len(data):,} bytes).")
    raise typer.Exit(EXIT_OK)
