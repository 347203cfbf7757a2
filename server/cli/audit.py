"""`crosscheck audit FILE`: run an audit in this process and show it live in the terminal.

With `--url` the audit runs on that server instead (server/cli/remote.py), and `--previous
AUDIT_ID` starts it as the next draft of an earlier audit there. Without `--url`: no server and
no database: the orchestrator reports to the terminal view (or, with `--json`, to
stdout as one frame per line, exactly as the WebSocket would send them). The exit code gates a
pipeline: 0 no high-severity finding, 1 a high-severity finding, 2 the input cannot be read,
3 an agent or the audit did not finish (the document was not fully checked).
"""

# Without `from __future__ import annotations`: typer reads these signatures at every start,
# and finding objects there, not strings to parse, saves about 4 ms (bench/e2e).

import asyncio
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from server.agents import registry
from server.agents.base import Agent, AuditInputs
from server.audits.ids import new_audit_id
from server.audits.orchestrator import Orchestrator
from server.cli import exiting, messages
from server.cli.outcome import EXIT_BAD_INPUT, AuditTracker, exit_code
from server.cli.watch import EXIT_OUTPUT_CLOSED, OutputClosed, WatchFailed, discard_stdout
from server.errors import DocumentError
from server.events import FrameModel
from server.ingest.upload import check_upload
from server.settings import DEFAULT_AGENT_TIMEOUT_S, DEFAULT_PROGRESS_PER_S

if TYPE_CHECKING:
    from rich.console import Console

EXIT_INTERRUPTED = 130


class InputProblem(Exception):
    """A file given on the command line cannot be audited (missing, unreadable, wrong type)."""


class FrameSink:
    """The orchestrator's EventSink: each frame to the terminal view or as a JSON line."""

    def __init__(self, view: AuditTracker, json_lines: bool) -> None:
        self.view = view
        self.json_lines = json_lines
        self.output_closed = False  # whoever read the JSON lines has gone (`| head -n 1`)

    async def emit(self, event: FrameModel) -> None:
        frame = event.model_dump(mode="json")
        if self.json_lines and not self.output_closed:
            try:
                sys.stdout.write(event.model_dump_json() + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                self.output_closed = True
                discard_stdout()
        self.view.feed(frame)


def read_inputs(document: Path, prior_year: Path | None, memos: list[Path]) -> AuditInputs:
    """Parse every file (blocking: call in a thread); raises InputProblem or DocumentError.

    The readers are imported here, inside the audit, not when the command starts: like the
    agents (server/agents/registry.py), they are part of what this one-shot process does for
    the audit, and loading them before it starts would be time the user waits for unreported.
    """
    from server.ingest.reader import read_document

    return AuditInputs(
        document=read_document(_bytes(document), document.name),
        prior_year=read_document(_bytes(prior_year), prior_year.name) if prior_year else None,
        memos=[read_document(_bytes(m), m.name) for m in memos],
    )


def check_inputs(paths: list[Path]) -> None:
    """Fail before any agent starts when a file is missing or plainly not a document."""
    for path in paths:
        check_upload(_bytes(path), path.name)


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputProblem(f"{str(path)!r} does not exist.") from exc
    except IsADirectoryError as exc:
        raise InputProblem(f"{str(path)!r} is a directory, not a file.") from exc
    except OSError as exc:
        raise InputProblem(f"{str(path)!r} cannot be read: {exc.strerror}.") from exc


async def run_audit(
    document: Path,
    prior_year: Path | None,
    memos: list[Path],
    *,
    agents: Mapping[str, Agent],
    console: "Console | None" = None,
    json_lines: bool = False,
    agent_timeout_s: float = DEFAULT_AGENT_TIMEOUT_S,
) -> dict[str, Any]:
    """Run one audit to its end and return its snapshot (the same reduction the server serves).

    With `json_lines` the frames go to stdout and nothing is drawn; otherwise to the terminal
    view on `console` (a new one on stdout if none is given).
    """
    audit_id = new_audit_id()
    view: AuditTracker
    live: AbstractContextManager[object]
    if json_lines:
        view, live = AuditTracker(audit_id), nullcontext()
    else:
        from server.cli.view import live_view  # rich: only to draw (server/cli/outcome.py)

        view, live = live_view(audit_id, console)
    sink = FrameSink(view, json_lines)
    orchestrator = Orchestrator(
        agents,
        sink,
        agent_timeout_s=agent_timeout_s,
        progress_per_s=DEFAULT_PROGRESS_PER_S,
        max_running=1,
    )

    async def load() -> AuditInputs:
        return await asyncio.to_thread(read_inputs, document, prior_year, memos)

    with live:
        await orchestrator.run(audit_id, load)
    if sink.output_closed:
        raise OutputClosed
    return view.snapshot


def audit(
    file: Annotated[
        Path,
        typer.Argument(
            help="Current-year statements (.docx, .pdf, .htm/.html/.xhtml or a report package .zip, .md or .txt)."
        ),
    ],
    prior_year: Annotated[
        Path | None, typer.Option("--prior-year", help="Prior-year statements.")
    ] = None,
    memo: Annotated[
        list[Path] | None, typer.Option("--memo", help="A memo or minutes (repeat).")
    ] = None,
    json_lines: Annotated[
        bool, typer.Option("--json", help="Print the frames as JSON lines instead.")
    ] = False,
    agent_timeout: Annotated[
        float, typer.Option(help="Seconds each agent may run (in this process).")
    ] = DEFAULT_AGENT_TIMEOUT_S,
    url: Annotated[
        str | None,
        typer.Option("--url", help="Run the audit on this Crosscheck server and follow it."),
    ] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            "--previous", help="With --url: the earlier audit this document is the next draft of."
        ),
    ] = None,
) -> None:
    """Audit a document now; exit 0 clean, 1 high finding, 2 bad input, 3 not fully checked."""
    exiting.arm()
    memos = list(memo or [])
    if previous and not url:
        messages.error("audit", "--previous needs --url: the earlier audit lives on a server.")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        check_inputs([file, *([prior_year] if prior_year else []), *memos])
    except (InputProblem, DocumentError) as exc:
        messages.error("audit", str(exc))
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    if url:
        from rich.console import Console

        from server.cli.remote import run_remote  # the HTTP and WebSocket clients: only here

        try:
            snapshot = asyncio.run(
                run_remote(
                    url,
                    file,
                    prior_year,
                    memos,
                    previous,
                    console=Console(quiet=json_lines),
                    json_lines=json_lines,
                )
            )
        except WatchFailed as exc:
            messages.error("audit", str(exc))
            raise typer.Exit(exc.exit_code) from exc
        except (OutputClosed, BrokenPipeError):
            discard_stdout()
            raise typer.Exit(EXIT_OUTPUT_CLOSED) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        raise typer.Exit(exit_code(snapshot))
    try:
        snapshot = asyncio.run(
            run_audit(
                file,
                prior_year,
                memos,
                agents=registry.default_agents(),
                json_lines=json_lines,
                agent_timeout_s=agent_timeout,
            )
        )
    except OutputClosed:
        raise typer.Exit(EXIT_OUTPUT_CLOSED) from None
    except KeyboardInterrupt:
        messages.warning("audit", "interrupted.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    raise typer.Exit(exit_code(snapshot))
