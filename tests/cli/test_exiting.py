"""A one-shot command ends without the interpreter's teardown (server/cli/exiting.py): nothing
it wrote is lost, its exit status is the command's, and every other exit handler still runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from server.cli.outcome import EXIT_BAD_INPUT, EXIT_HIGH_FINDINGS
from server.samples import sample_path
from tests.support.frames import assert_valid_frame
from tests.support.paths import ROOT
from tests.support.processes import run_python

CROSSCHECK = Path(sys.executable).parent / "crosscheck"
# Buffered output, as a user's shell gives it: what the command does not flush is at stake.
BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def test_a_local_audit_to_a_file_keeps_every_line_and_its_status(tmp_path: Path) -> None:
    """Drawn for a terminal but written to a file (block-buffered): the closing line is there."""
    out = tmp_path / "audit.txt"
    with out.open("w") as stdout:
        done = subprocess.run(
            [str(CROSSCHECK), "audit", str(sample_path("insig-2024-planted.docx"))],
            cwd=ROOT,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            env=BUFFERED,
        )
    assert done.returncode == EXIT_HIGH_FINDINGS, done.stderr
    text = out.read_text()
    assert text.rstrip().splitlines()[-1].startswith("Audit completed in ")
    for agent in ("numeric", "logic", "disclosure", "external"):
        assert f"✔ {agent} completed" in text


def test_json_lines_are_valid_frames_ending_with_audit_finished(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CROSSCHECK), "audit", str(sample_path("insig-2024.docx")), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=BUFFERED,
    )
    frames = [json.loads(line) for line in done.stdout.splitlines()]
    assert frames[0]["type"] == "audit_started" and frames[-1]["type"] == "audit_finished"
    for frame in frames:
        assert_valid_frame(frame)
    assert done.returncode in (0, EXIT_HIGH_FINDINGS) and done.stderr == ""


def test_exit_handlers_registered_by_the_command_still_run() -> None:
    """One registered while the command runs (as logging's or multiprocessing's are) runs
    before the process ends, and what it prints without flushing still comes out."""
    probe = (
        "import atexit, sys\n"
        "from server.cli import exiting, main\n"
        "arm = exiting.arm\n"
        "def arm_and_register():\n"
        "    arm()\n"
        "    atexit.register(lambda: print('a later handler ran'))\n"
        "exiting.arm = arm_and_register\n"
        "sys.argv = ['crosscheck', 'audit', 'no-such-file.docx']\n"
        "main()\n"
    )
    done = run_python(probe, check=False, env=BUFFERED)
    assert done.returncode == EXIT_BAD_INPUT
    assert "does not exist" in done.stderr
    assert done.stdout == "a later handler ran\n"
