"""`crosscheck`: the command line. `main` is the entry point; the commands are in `commands`.

Every command starts by loading the contract's pydantic models, and two settings made before
the commands are loaded shorten that start (bench/e2e measures it as the gap between the wall
time of `crosscheck audit` and the audit time it reports):

- The cyclic garbage collector is off while they load (about 15 ms): building the model classes
  makes a great many objects, nearly none of them garbage, and the collections that would run
  meanwhile only walk them again and again. Frozen afterwards, they are never walked again: not
  by the audit's collections (which is felt inside the audit too), not at exit.
- Pydantic's plugin discovery is off (`PYDANTIC_DISABLE_PLUGINS`, unless already set; about
  5 ms): it reads the entry points of every installed distribution when the first model is
  built, and Crosscheck uses no pydantic plugin.
"""

from __future__ import annotations

import atexit
import gc
import os

from server.cli import exiting


def main() -> None:
    """The `crosscheck` program. It ends the process: call it from the console script only."""
    atexit.register(exiting.leave)  # first registered, so it runs last
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    try:
        from server.cli.commands import cli
    finally:
        gc.freeze()
        gc.enable()
    try:
        cli()
    except SystemExit as exc:
        exiting.record(exc.code)
        raise
    finally:
        # The process ends here. Without this, the interpreter's last collections walk every
        # object the audit left (about 0.1 s after `crosscheck audit`); frozen, they are
        # skipped, and the memory goes back to the system with the process all the same.
        gc.freeze()
