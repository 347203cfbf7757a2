"""`crosscheck watch`: follows an audit on a real server through a connection that is cut
mid-audit, resumes with ?after=<last seq>, and ends with exactly the server's snapshot; backs off
and gives up as documented, says at once when it cannot reach the server, and stops quietly
when its output is closed."""

from __future__ import annotations

import asyncio
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from websockets.asyncio.server import ServerConnection, serve

from server.cli.outcome import EXIT_BAD_INPUT, EXIT_HIGH_FINDINGS, EXIT_INCOMPLETE, exit_code
from server.cli.view import AuditView
from server.cli.watch import (
    BACKOFF_MAX_S,
    EXIT_OUTPUT_CLOSED,
    WatchFailed,
    backoff_s,
    follow,
    stream_url,
)
from tests.support.frames import assert_valid_frame
from tests.support.gated_agents import AGENT_NAMES, gated_team
from tests.support.harness import LiveServer, api, make_settings, snapshot, wait_finished, wait_for
from tests.support.paths import ROOT
from tests.support.processes import free_port
from tests.support.proxy import CuttableProxy

CROSSCHECK = Path(sys.executable).parent / "crosscheck"


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
            await watching  # no deadline: pytest's timeout reports a hang
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
            await watching  # no deadline: pytest's timeout reports a hang
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
            await follow("no-such-audit", server.base, view)
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
        await follow(expected["audit_id"], f"http://127.0.0.1:{port}", view)
    assert [p.rsplit("after=", 1)[1] for p in paths] == ["0", "1"]
    assert view.snapshot == expected


async def test_json_output_to_a_closed_pipe_ends_watch_quietly(tmp_path: Path) -> None:
    """`crosscheck watch ID --json | head -n 1`: the audit never finishes (its agents wait),
    heartbeats keep coming, and the reader goes away after one line. Watch must stop at its
    next write, without a traceback; before, it took the broken pipe for a lost connection and
    reconnected for ever."""
    server = LiveServer(make_settings(tmp_path / "data"), gated_team()).start()  # type: ignore[arg-type]
    try:
        async with api(server) as client:
            created = await client.post("/api/v1/audits", data={"sample": "fanmilk-2024"})
            audit_id = created.json()["audit_id"]
        watcher = subprocess.Popen(
            [str(CROSSCHECK), "watch", audit_id, "--url", server.base, "--json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert watcher.stdout is not None and watcher.stderr is not None
        first = json.loads(await asyncio.to_thread(watcher.stdout.readline))
        watcher.stdout.close()  # as `head -n 1` does once it has its line
        code = await asyncio.to_thread(watcher.wait)
        errors = watcher.stderr.read().decode()
    finally:
        server.stop()
    assert first["type"] == "audit_started"
    assert code == EXIT_OUTPUT_CLOSED
    assert errors == ""


class FakeTime:
    """The waits `follow` asks for, on a clock only those waits move: the give-up and the
    backoff schedule are then exact, whatever the machine's speed."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


# With the jitter at its top, the waits are the ceilings: 0.25 s doubling to 10 s. With 20 s
# allowed, the attempt after 15.75 s of waits is retried once more (10 s) and then given up.
SCHEDULE = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0]


@pytest.fixture
def top_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(random, "random", lambda: 1.0)


async def test_an_unreachable_server_is_reported_at_once_then_given_up(top_jitter: None) -> None:
    """Nothing listens on the port: the first failed attempt is reported before any wait, the
    waits grow as documented, and watch gives up once the time allowed has passed."""
    fake = FakeTime()
    notices: list[tuple[str, int]] = []
    base = f"http://127.0.0.1:{free_port()}"
    view, _ = _view("aud_unreachable")
    with pytest.raises(WatchFailed) as failure:
        await follow(
            "aud_unreachable",
            base,
            view,
            give_up_after_s=20,
            notify=lambda message: notices.append((message, len(fake.waits))),
            sleep=fake.sleep,
            clock=fake.clock,
        )
    assert failure.value.exit_code == EXIT_INCOMPLETE
    assert f"No contact with {base} for 20 s" in str(failure.value)
    [(notice, waits_before)] = notices  # once, before the first wait
    assert waits_before == 0 and notice.startswith(f"Cannot reach {base} (")
    assert fake.waits == SCHEDULE


def test_the_backoff_is_a_random_half_to_all_of_its_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for jitter, factor in ((0.0, 0.5), (1.0, 1.0)):
        monkeypatch.setattr(random, "random", lambda jitter=jitter: jitter)
        assert [backoff_s(n) for n in range(1, 9)] == [s * factor for s in [*SCHEDULE, 10.0]]
    assert backoff_s(5000) <= BACKOFF_MAX_S  # a long outage neither overflows nor grows


async def test_a_server_that_closes_at_once_is_retried_with_growing_waits(
    top_jitter: None,
) -> None:
    """Each connection opens and closes before any frame: that is no contact, so the backoff
    keeps growing (it used to start again at every successful connect) and watch gives up."""
    opened: list[str] = []
    fake = FakeTime()

    async def handler(socket: ServerConnection) -> None:
        opened.append(socket.request.path if socket.request else "")
        await socket.close(1011)

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        view, _ = _view("aud_closing")
        with pytest.raises(WatchFailed) as failure:
            await follow(
                "aud_closing",
                f"http://127.0.0.1:{port}",
                view,
                give_up_after_s=20,
                sleep=fake.sleep,
                clock=fake.clock,
            )
    assert failure.value.exit_code == EXIT_INCOMPLETE
    assert len(opened) == len(fake.waits) + 1
    assert fake.waits == SCHEDULE


def test_watch_says_it_cannot_reach_the_server_and_gives_up() -> None:
    base = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        [str(CROSSCHECK), "watch", "aud_x", "--url", base, "--give-up-after", "0.5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == EXIT_INCOMPLETE
    errors = " ".join(done.stderr.split())
    assert f"Cannot reach {base}" in errors and "No contact with" in errors
    assert "Traceback" not in done.stderr
