"""`crosscheck serve` as a user runs it: the real agents, flags, the URL printed, a clean stop."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.harness import STATEMENT_MD, api, wait_finished
from tests.support.paths import ROOT
from tests.support.processes import free_port, wait_healthy


async def test_serve_runs_the_real_agents_and_stops_on_ctrl_c(tmp_path: Path):
    """No time limit but pytest's: start-up time is a figure of bench/e2e. The output goes to
    files, since a pipe nobody reads fills up and blocks a server that logs every request."""
    port, data_dir = free_port(), tmp_path / "cli-data"
    command = Path(sys.executable).parent / "crosscheck"
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [str(command), "serve", "--port", str(port), "--data-dir", str(data_dir)]
            + ["--heartbeat", "1"],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_healthy(base, process)
        async with api(base) as client:
            created = await client.post(
                "/api/v1/audits", files={"document": ("s.md", STATEMENT_MD)}
            )
            snap = await wait_finished(client, created.json()["audit_id"])
    finally:
        process.send_signal(signal.SIGINT)
        code = await asyncio.to_thread(process.wait)
    assert snap["state"] in ("completed", "completed_with_errors")
    assert [a["agent"] for a in snap["agents"]] == ["numeric", "logic", "disclosure", "external"]
    assert code in (0, 128 + signal.SIGINT)  # uvicorn re-raises Ctrl-C after a clean shutdown
    assert f"http://127.0.0.1:{port}/" in out.read_text()
    assert "Application shutdown complete" in err.read_text()
    assert (data_dir / "crosscheck.sqlite3").is_file()
