"""The commands' one-line messages on stderr: `crosscheck COMMAND: message`, styled.

rich is imported when a message is printed, not when a command starts (server/cli/outcome.py
says why); the message itself is printed as text, never read as rich markup.
"""

from __future__ import annotations

_STYLES = {"error": "bold red", "warning": "yellow", "notice": "bold yellow"}


def error(command: str, message: str) -> None:
    _print(command, message, "error")


def warning(command: str, message: str) -> None:
    _print(command, message, "warning")


def notice(command: str, message: str) -> None:
    _print(command, message, "notice")


def _print(command: str, message: str, kind: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(
        f"[{_STYLES[kind]}]crosscheck {command}:[/] {escape(message)}",
        highlight=False,
        soft_wrap=True,
    )
