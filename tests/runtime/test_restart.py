"""A killed server: running audits are finished as `interrupted` on start-up; history stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx

from server.transports import codes
from tests.support.harness import (
    STATEMENT_MD,
    agents,
    api,
    read_until_closed,
    wait_finished,
    wait_for_seq,
    ws_connect,
    ws_stream,
)
from tests.support.paths import ROOT
from tests.support.processes import free_port, wait_healthy


async def _post(client: httpx.AsyncClient, name: str) -> str:
    response = await client.post("/api/v1/audits", files={"document": (name, STATEMENT_MD)})
    assert response.status_code == 202, response.text
    return str(response.json()["audit_id"])


async def test_killed_server_marks_running_audit_interrupted(start_server, tmp_path):
    data_dir, port = tmp_path / "data", free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_server", str(data_dir), str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_healthy(base, process)
        async with api(base) as client:
            done = await _post(client, "done.md")
            await wait_finished(client, done)
            hung = await _post(client, "hang.md")
            await wait_for_seq(client, hung, 6)  # numeric completed, three agents running
        before_done = await ws_stream(f"ws://127.0.0.1:{port}/ws/audit/{done}")
        async with ws_connect(f"ws://127.0.0.1:{port}/ws/audit/{hung}") as ws:
            before_hung = await read_until_closed(ws, until=lambda f: f.get("seq") == 6)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()  # SIGKILL ends it at once; no deadline of our own

    server = start_server(agents(), data_dir=data_dir)
    async with api(server) as client:
        snap = await client.get(f"/api/v1/audits/{hung}")
        finished = await wait_finished(client, done)
        listed = {
            a["audit_id"]: a["state"] for a in (await client.get("/api/v1/audits")).json()["audits"]
        }
    after_hung = await ws_stream(f"{server.ws_base}/ws/audit/{hung}")
    after_done = await ws_stream(f"{server.ws_base}/ws/audit/{done}")

    assert snap.json()["state"] == "failed" and snap.json()["error"]["code"] == "interrupted"
    assert listed == {hung: "failed", done: "completed"}
    assert finished["state"] == "completed"
    assert after_done.events == before_done.events and after_done.close_code == codes.WS_1000_NORMAL
    # What a client saw before the crash is exactly the start of the recovered log.
    seen = before_hung.events
    assert after_hung.events[: len(seen)] == seen
    assert after_hung.seqs == list(range(1, 11))
    failed = {f["agent"]: f["error"]["code"] for f in after_hung.of_type("agent_failed")}
    assert failed == {
        "logic": "interrupted",
        "disclosure": "interrupted",
        "external": "interrupted",
    }
    terminal = after_hung.frames[-1]
    assert terminal["type"] == "audit_finished" and terminal["status"] == "failed"
    assert terminal["error"] == {
        "code": "interrupted",
        "message": terminal["error"]["message"],
        "retryable": True,
    }
    outcomes = {o["agent"]: o for o in terminal["summary"]["agents"]}
    assert (
        outcomes["numeric"]["state"] == "completed" and outcomes["numeric"]["findings"]["high"] == 1
    )
    assert outcomes["logic"]["error_code"] == "interrupted"
    assert after_hung.close_code == codes.WS_1000_NORMAL
