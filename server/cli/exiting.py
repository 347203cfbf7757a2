"""Ending a one-shot command without the interpreter's teardown.

Once `crosscheck audit` (or `watch`, `export`) has said all it had to say, the interpreter would
go on to free every module and object one by one: about 15 ms after an audit, for memory the
kernel takes back at once when the process ends. `main` registers `leave` as the first exit
handler, so it runs after every other one (logging's flush, multiprocessing's cleanup, the
finalizers of temporary files), and the interpreter has joined the non-daemon threads before
any of them: only the freeing is skipped, the trade Instagram made for its web workers
("Dismissing Python Garbage Collection at Instagram", 2017). It applies only when the command
armed it, ended with SystemExit and went through `main`: `serve` never arms it, and a test that
runs a command in its own process with typer's CliRunner never registers it.
"""

from __future__ import annotations

import contextlib
import os
import sys

_armed = False
_status: int | None = None


def arm() -> None:
    """This command may end without the teardown (its output is all on stdout and stderr)."""
    global _armed
    _armed = True


def record(code: object) -> None:
    """The status the process ends with: SystemExit's code, read as the interpreter reads it."""
    global _status
    _status = 0 if code is None else code if isinstance(code, int) else 1


def leave() -> None:
    """The last exit handler: flush what was written and end the process here."""
    if not _armed or _status is None:
        return
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or stream: nothing more can be said.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(_status)
