"""`crosscheck watch`: follows an audit on a real server through a connection that is cut
mid-audit, resumes with ?after=<last seq>, and ends with exactly the server's snapshot."""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from websockets.asyncio.server import ServerConnection, serve

from server.cli.view import EXIT_BAD_INPUT, EXIT_HIGH_FINDINGS, AuditView, exit_code
from server.cli.watch import WatchFailed, follow, stream_url
from tests.support.frames import assert_valid_frame
from tests.support.gated_agents import AGENT_NAMES, gated_team
from tests.support.harness import LiveServer, api, make_settings, snapshot, wait_finished, wait_for
from tests.support.proxy import CuttableProxy


def _view(audit_id: str) -> tuple[AuditView, io.StringIO]:
    out = io.StringIO()
    return AuditView(Console(file=out, width=160, color_system=None), audit_id), out


def _state(view: AuditView, agent: str) -> str:
    return next((a["state"] for a in view.snapshot["agents"] if a["agent"] == agent), "pending")


async def test_watch_resumes_after_a_cut_and_ends_with_the_server_snapshot(tmp_path: Path) -> None:
    team = gated_team()
    server = LiveServer(make_settings(tmp_path / "data"), team).start()  # type: ignore[arg-type]
    proxy = await CuttableProxy(server.port).start()
    try:
        async with api(server) as client:
            created = await client.post("/api/v1/audits", data={"sample": "fanmilk-2024"})
            audit_id = created.json()["audit_id"]
            view, out = _view(audit_id)
            watching = asyncio.create_task(follow(audit_id, proxy.base, view))
            await wait_for(lambda: all(_state(view, n) == "running" for n in AGENT_NAMES))
            team["numeric"].complete()
            await wait_for(lambda: _state(view, "numeric") == "completed")
            seen = view.snapshot["last_seq"]

            proxy.refusing = True
            proxy.drop()
            await wait_for(lambda: (view.connection or "").startswith("reconnecting"))
            for name in ("logic", "disclosure", "external"):
                team[name].complete()
            finished = await wait_finished(client, audit_id)
            assert _state(view, "logic") == "running", "frames arrived through a cut connection"

            proxy.refusing = False
            await asyncio.wait_for(watching, 20)
            assert view.snapshot == await snapshot(client, audit_id) == finished
    finally:
        await proxy.close()
        server.stop()
    text = out.getvalue()
    for name in AGENT_NAMES:
        assert text.count(f"✔ {name} completed") == 1, text
    resumed = [
        int(m.group(1)) for line in proxy.request_lines if (m := re.search(r"after=(\d+)", line))
    ]
    assert resumed[0] == 0 and resumed[-1] == seen, proxy.request_lines
    assert exit_code(view.snapshot) == EXIT_HIGH_FINDINGS


async def test_json_lines_print_each_log_event_once_across_reconnects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = gated_team()
    server = LiveServer(make_settings(tmp_path / "data"), team).start()  # type: ignore[arg-type]
    proxy = await CuttableProxy(server.port).start()
    try:
        async with api(server) as client:
            created = await client.post("/api/v1/audits", data={"sample": "fanmilk-2024"})
            audit_id = created.json()["audit_id"]
            view, _ = _view(audit_id)
            watching = asyncio.create_task(follow(audit_id, proxy.base, view, json_lines=True))
            await wait_for(lambda: view.snapshot["last_seq"] >= 5)
            proxy.drop()  # an immediate reconnect: the replay must not print anything twice
            for agent in team.values():
                agent.complete()
            await asyncio.wait_for(watching, 20)
    finally:
        await proxy.close()
        server.stop()
    frames = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for frame in frames:
        assert_valid_frame(frame)
    assert [f["seq"] for f in frames if "seq" in f] == list(range(1, 11))
    assert len(proxy.request_lines) >= 2


async def test_an_unknown_audit_is_bad_input(tmp_path: Path) -> None:
    server = LiveServer(make_settings(tmp_path / "data"), gated_team()).start()  # type: ignore[arg-type]
    try:
        view, _ = _view("no-such-audit")
        with pytest.raises(WatchFailed) as failure:
            await asyncio.wait_for(follow("no-such-audit", server.base, view), 10)
    finally:
        server.stop()
    assert failure.value.exit_code == EXIT_BAD_INPUT
    assert "no-such-audit" in str(failure.value)


def test_stream_url_accepts_http_ws_and_bare_hosts() -> None:
    assert stream_url("http://h:8000", "abc123", 4) == "ws://h:8000/ws/audit/abc123?after=4"
    assert stream_url("https://h/base/", "abc123", 0) == "wss://h/base/ws/audit/abc123?after=0"
    assert stream_url("127.0.0.1:9", "abc123", 1) == "ws://127.0.0.1:9/ws/audit/abc123?after=1"


async def test_a_heartbeat_ahead_of_the_view_makes_watch_resume_from_its_cursor() -> None:
    """The server says the log is at seq N but this client holds less: it reconnects with
    after=<what it holds> instead of waiting, and ends with the golden snapshot."""
    sequences = Path(__file__).resolve().parent.parent / "fixtures" / "sequences"
    events = json.loads((sequences / "completed.events.json").read_text())
    expected = json.loads((sequences / "completed.snapshot.json").read_text())
    heartbeat = {
        "v": 1,
        "type": "heartbeat",
        "audit_id": expected["audit_id"],
        "ts": events[0]["ts"],
        "last_seq": events[-1]["seq"],
    }
    paths: list[str] = []

    async def handler(socket: ServerConnection) -> None:
        assert socket.request is not None
        paths.append(socket.request.path)
        after = int(socket.request.path.rsplit("after=", 1)[1])
        if len(paths) == 1:  # a server that "loses" everything after the first event
            await socket.send(json.dumps(events[0]))
            await socket.send(json.dumps(heartbeat))
            await socket.wait_closed()
            return
        for event in events:
            if event["seq"] > after:
                await socket.send(json.dumps(event))
        await socket.close(1000)

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        view, _ = _view(expected["audit_id"])
        await asyncio.wait_for(follow(expected["audit_id"], f"http://127.0.0.1:{port}", view), 10)
    assert [p.rsplit("after=", 1)[1] for p in paths] == ["0", "1"]
    assert view.snapshot == expected
