"""WebSocket and SSE are cursors over one log: same frames, no gaps, no duplicates."""

from __future__ import annotations

import asyncio
import sqlite3

from server.transports import codes
from tests.support.harness import (
    Gate,
    ScriptedAgent,
    agents,
    api,
    create_audit,
    read_until_closed,
    small_buffer_socket,
    sse_lines,
    sse_stream,
    wait_finished,
    wait_for_seq,
    ws_connect,
    ws_stream,
)
from tests.support.results import AGENTS


def _gated_team(gate: Gate) -> dict[str, ScriptedAgent]:
    return agents(
        logic=ScriptedAgent("logic", gate=gate), external=ScriptedAgent("external", gate=gate)
    )


async def test_every_kind_of_reader_gets_the_same_sequence(start_server):
    gate = Gate()
    server = start_server(_gated_team(gate))
    async with api(server) as client:
        audit_id = await create_audit(client)
        url = f"{server.ws_base}/ws/audit/{audit_id}"
        async with ws_connect(url) as first, ws_connect(url) as second:
            head = await read_until_closed(first, until=lambda f: f.get("seq") == 3)
            # Joining mid-run, and resuming after seq 3, while the audit is still running.
            async with ws_connect(url) as mid, ws_connect(f"{url}?after=3") as resumed:
                sse = asyncio.create_task(sse_stream(client, f"/api/v1/audits/{audit_id}/events"))
                await asyncio.sleep(0.1)
                gate.open()
                streams = await asyncio.gather(
                    read_until_closed(first),
                    read_until_closed(second),
                    read_until_closed(mid),
                    read_until_closed(resumed),
                )
                status, sse_frames, ids = await sse
        late = await ws_stream(url)  # joining after the end
    full = list(range(1, 11))
    assert head.seqs + streams[0].seqs == full
    assert streams[1].seqs == full and streams[2].seqs == full and late.seqs == full
    assert streams[3].seqs == list(range(4, 11))
    assert all(s.close_code == codes.WS_1000_NORMAL for s in [*streams, late])
    assert status == 200 and [f["seq"] for f in sse_frames if "seq" in f] == full
    assert ids == [str(f["seq"]) if "seq" in f else None for f in sse_frames]
    # Identical frames: byte-for-byte the same log events on every reader.
    log_events = late.events
    assert streams[1].events == log_events
    assert [f for f in sse_frames if "seq" in f] == log_events


async def test_client_disconnect_does_not_stop_the_audit(start_server):
    gate = Gate()
    server = start_server(_gated_team(gate))
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            await read_until_closed(ws, until=lambda f: f["type"] == "agent_completed")
        async with client.stream("GET", f"/api/v1/audits/{audit_id}/events") as response:
            async for _line in sse_lines(response):
                break  # and hang up mid-stream
        await asyncio.sleep(0.1)
        assert (await client.get(f"/api/v1/audits/{audit_id}")).json()["state"] == "running"
        gate.open()
        snap = await wait_finished(client, audit_id)
    assert snap["state"] == "completed"


async def test_heartbeats_on_idle_connections_and_client_text_is_ignored(start_server):
    gate = Gate()
    server = start_server(_gated_team(gate), heartbeat_s=0.05)
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            await ws.send("hello, server")
            await ws.send('{"type": "cancel"}')
            head = await read_until_closed(
                ws, until=lambda f: f["type"] == "heartbeat" and f["last_seq"] >= 6
            )
            gate.open()
            tail = await read_until_closed(ws)
    beats = head.of_type("heartbeat")
    assert beats and beats[-1]["last_seq"] == max(head.seqs)
    assert tail.frames[-1]["status"] == "completed"
    assert head.seqs + tail.seqs == list(range(1, 11))


async def test_close_codes_for_bad_requests(start_server):
    server = start_server()
    async with api(server) as client:
        audit_id = await create_audit(client)
        await wait_finished(client, audit_id)
    base = f"{server.ws_base}/ws/audit"
    unknown = await ws_stream(f"{base}/nosuchaudit")
    assert unknown.close_code == codes.WS_4404_UNKNOWN_AUDIT and unknown.close_reason
    for bad in ("abc", "-1", "1.5", "99"):
        stream = await ws_stream(f"{base}/{audit_id}?after={bad}")
        assert stream.close_code == codes.WS_4400_BAD_PARAMETER, bad
        assert stream.frames == []
    foreign = await ws_stream(f"{base}/{audit_id}", origin="https://evil.example")
    assert foreign.close_code == codes.WS_4403_ORIGIN_NOT_ALLOWED
    local = await ws_stream(f"{base}/{audit_id}", origin="http://localhost:5173")
    assert local.close_code == codes.WS_1000_NORMAL and local.seqs == list(range(1, 11))
    own = await ws_stream(f"{base}/{audit_id}", origin=server.base)
    assert own.close_code == codes.WS_1000_NORMAL
    caught_up = await ws_stream(f"{base}/{audit_id}?after=10")
    assert caught_up.frames == [] and caught_up.close_code == codes.WS_1000_NORMAL


async def test_configured_origin_is_allowed(start_server):
    server = start_server(allowed_origins=("https://audit.example",), allow_localhost=False)
    async with api(server) as client:
        audit_id = await create_audit(client)
    base = f"{server.ws_base}/ws/audit/{audit_id}"
    assert (
        await ws_stream(base, origin="https://audit.example")
    ).close_code == codes.WS_1000_NORMAL
    refused = await ws_stream(base, origin="http://localhost:5173")
    assert refused.close_code == codes.WS_4403_ORIGIN_NOT_ALLOWED


async def test_sse_resumes_with_last_event_id_and_after(start_server):
    gate = Gate()
    server = start_server(_gated_team(gate))
    async with api(server) as client:
        audit_id = await create_audit(client)
        path = f"/api/v1/audits/{audit_id}/events"
        async with client.stream("GET", path) as response:
            assert response.headers["x-accel-buffering"] == "no"
            ids: list[str] = []
            async for line in sse_lines(response):
                if line.startswith("id: "):
                    ids.append(line[4:])
                if len(ids) == 3:
                    break
        assert ids == ["1", "2", "3"]
        gate.open()
        _, resumed, resumed_ids = await sse_stream(client, path, {"Last-Event-ID": "3"})
        # Last-Event-ID (sent by EventSource on reconnect) wins over the URL's ?after=.
        _, header_wins, _ = await sse_stream(client, f"{path}?after=1", {"Last-Event-ID": "5"})
        _, by_query, _ = await sse_stream(client, f"{path}?after=8")
        done_status, _, _ = await sse_stream(client, path, {"Last-Event-ID": "10"})
        bad = await client.get(path, headers={"Last-Event-ID": "x"})
        unknown = await client.get("/api/v1/audits/nosuchaudit/events")
    assert [f["seq"] for f in resumed] == list(range(4, 11))
    assert resumed_ids == [str(s) for s in range(4, 11)]
    assert [f["seq"] for f in header_wins] == list(range(6, 11))
    assert [f["seq"] for f in by_query] == [9, 10]
    assert done_status == 204  # tells EventSource to stop reconnecting
    assert bad.status_code == 400 and unknown.status_code == 404


async def test_sse_keep_alive_comments_while_idle(start_server):
    gate = Gate()
    server = start_server(_gated_team(gate), heartbeat_s=0.05)
    async with api(server) as client:
        audit_id = await create_audit(client)
        comments: list[str] = []
        async with client.stream("GET", f"/api/v1/audits/{audit_id}/events") as response:
            async for line in sse_lines(response):
                if line.startswith(":"):
                    comments.append(line)
                if len(comments) >= 3:
                    break
        gate.open()
        await wait_finished(client, audit_id)
    assert comments[0] == ": crosscheck v1"
    assert comments[1:] == [": keep-alive", ": keep-alive"]


async def test_slow_client_is_closed_1013_without_slowing_others(start_server):
    gates = {name: Gate() for name in AGENTS}
    team = {name: ScriptedAgent(name, gate=gates[name]) for name in AGENTS}
    team["numeric"].findings, team["numeric"].padding = 130, 60_000  # an 8 MB frame
    # Queue of 2: every live burst below fits; the stalled client falls 3 events behind.
    server = start_server(team, queue_size=2)
    async with api(server) as client:
        audit_id = await create_audit(client)
        url = f"{server.ws_base}/ws/audit/{audit_id}"
        await wait_for_seq(client, audit_id, 5)  # audit_started + four agent_started
        async with ws_connect(url) as fast:
            gates["numeric"].open()
            head = await read_until_closed(fast, until=lambda f: f.get("seq") == 6)
            # A stalled tab: a small fixed receive buffer, reading stops after one frame, and no
            # compression (the padding would deflate to nothing).
            stalled = small_buffer_socket(server.port)
            async with ws_connect(url, max_queue=1, sock=stalled, compression=None) as slow:
                await asyncio.sleep(0.3)  # the 8 MB replay fills the socket buffers
                for name in ("logic", "disclosure", "external"):
                    gates[name].open()
                    await asyncio.sleep(0.2)  # each burst drains before the next
                tail = await read_until_closed(fast)
                assert tail.close_code == codes.WS_1000_NORMAL
                assert head.seqs + tail.seqs == list(range(1, 11))
                slow_stream = await read_until_closed(slow)
        assert slow_stream.close_code == codes.WS_1013_TRY_AGAIN_LATER
        got = slow_stream.seqs
        assert got == list(range(1, len(got) + 1)) and len(got) < 10
        resumed = await ws_stream(f"{url}?after={got[-1]}")
        assert got + resumed.seqs == list(range(1, 11))
        assert resumed.close_code == codes.WS_1000_NORMAL


async def test_shutdown_closes_sockets_1001_and_a_restart_replays(start_server, tmp_path):
    gate = Gate()
    data_dir = tmp_path / "shared"
    server = start_server(_gated_team(gate), data_dir=data_dir)
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            head = await read_until_closed(ws, until=lambda f: f["type"] == "agent_completed")
            await asyncio.to_thread(server.stop)
            rest = await read_until_closed(ws)
    assert rest.close_code == codes.WS_1001_GOING_AWAY
    assert not rest.of_type("audit_finished")
    again = start_server(agents(), data_dir=data_dir)
    async with api(again) as client:
        snap = await wait_finished(client, audit_id)
        replay = await ws_stream(f"{again.ws_base}/ws/audit/{audit_id}")
    assert snap["state"] == "failed" and snap["error"]["code"] == "interrupted"
    assert replay.seqs == list(range(1, len(replay.seqs) + 1))
    assert replay.events[: len(head.events)] == head.events
    interrupted = {f["agent"]: f["error"]["code"] for f in replay.of_type("agent_failed")}
    assert interrupted == {"logic": "interrupted", "external": "interrupted"}
    assert replay.frames[-1]["type"] == "audit_finished"
    assert replay.close_code == codes.WS_1000_NORMAL


async def test_a_gap_in_the_stored_log_closes_1011_not_silently(start_server):
    server = start_server()
    async with api(server) as client:
        audit_id = await create_audit(client)
        await wait_finished(client, audit_id)
    with sqlite3.connect(server.settings.data_dir / "crosscheck.sqlite3") as db:
        db.execute("DELETE FROM events WHERE audit_id = ? AND seq = 5", (audit_id,))
    stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
    assert stream.seqs == [1, 2, 3, 4]  # never 6 after 4
    assert stream.close_code == codes.WS_1011_INTERNAL_ERROR
