"""The `crosscheck` commands: one Typer app, one function per subcommand.

`serve` lives here; other subcommands (`audit`, `watch`, `export`) are added beside it with
`@cli.command()`. Flags map one-to-one onto `Settings` fields.
"""

# Without `from __future__ import annotations`: typer reads these signatures at every start,
# and finding objects there, not strings to parse, saves about 4 ms (bench/e2e).

from pathlib import Path
from typing import Annotated

import typer

from server.cli.audit import audit
from server.cli.export import export
from server.cli.watch import watch
from server.settings import (
    DEFAULT_AGENT_TIMEOUT_S,
    DEFAULT_AGENT_WORKERS,
    DEFAULT_DATA_DIR,
    DEFAULT_HEARTBEAT_S,
    DEFAULT_HOST,
    DEFAULT_MAX_RUNNING_AUDITS,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_PORT,
    Settings,
)

cli = typer.Typer(
    name="crosscheck",
    help="A co-auditor for financial statements.",
    no_args_is_help=True,
    add_completion=False,
)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="TCP port.")] = DEFAULT_PORT,
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Where the SQLite databases live.")
    ] = DEFAULT_DATA_DIR,
    max_upload_mb: Annotated[
        float, typer.Option(help="Largest accepted file, in MB.")
    ] = DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024),
    max_running: Annotated[
        int, typer.Option(help="Audits running at once before 429.")
    ] = DEFAULT_MAX_RUNNING_AUDITS,
    agent_timeout: Annotated[
        float, typer.Option(help="Seconds each agent may run.")
    ] = DEFAULT_AGENT_TIMEOUT_S,
    heartbeat: Annotated[
        float, typer.Option(help="Seconds between heartbeats on idle streams.")
    ] = DEFAULT_HEARTBEAT_S,
    agent_workers: Annotated[
        int, typer.Option(help="Worker processes for agent work (0: threads).")
    ] = DEFAULT_AGENT_WORKERS,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option("--allowed-origin", help="Extra Origin allowed on the WebSocket (repeat)."),
    ] = None,
) -> None:
    """Serve the API, the streams and the page."""
    from server.serve import build_server

    settings = Settings(
        host=host,
        port=port,
        data_dir=data_dir,
        max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        max_running_audits=max_running,
        agent_timeout_s=agent_timeout,
        heartbeat_s=heartbeat,
        agent_workers=agent_workers,
        allowed_origins=tuple(allowed_origin or ()),
    )
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"

    def ready() -> None:  # once the server answers its health check, never before
        typer.echo(f"Crosscheck on {url}  (data: {data_dir.resolve()})")

    build_server(settings, on_ready=ready).run()


cli.command("audit")(audit)
cli.command("watch")(watch)
cli.command("export")(export)
