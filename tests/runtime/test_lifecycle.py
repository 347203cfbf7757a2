"""The audit lifecycle over a real server: agents run concurrently, isolated, and always end."""

from __future__ import annotations

import asyncio

from server.events import parse_ts
from server.transports import codes
from tests.support.harness import (
    Gate,
    ScriptedAgent,
    agents,
    api,
    create_audit,
    read_until_closed,
    wait_finished,
    ws_connect,
    ws_stream,
)


async def test_fast_agent_completes_while_slow_agent_runs(start_server):
    gate = Gate()
    server = start_server(agents(external=ScriptedAgent("external", gate=gate)))
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            early = await read_until_closed(
                ws, until=lambda f: f["type"] == "agent_completed" and f["agent"] == "disclosure"
            )
            completed = {f["agent"] for f in early.of_type("agent_completed")}
            assert completed == {"numeric", "logic", "disclosure"}
            assert early.of_type("audit_finished") == []
            snap_mid = (await client.get(f"/api/v1/audits/{audit_id}")).json()
            assert snap_mid["state"] == "running"
            assert {a["agent"]: a["state"] for a in snap_mid["agents"]}["external"] == "running"
            gate.open()
            rest = await read_until_closed(ws)
        assert rest.close_code == codes.WS_1000_NORMAL
        assert [f["type"] for f in rest.frames if "seq" in f][-2:] == [
            "agent_completed",
            "audit_finished",
        ]
        assert rest.frames[-1]["status"] == "completed"
        assert early.seqs + rest.seqs == list(range(1, 11))


async def test_crash_and_timeout_leave_the_others_complete(start_server):
    team = agents(
        logic=ScriptedAgent("logic", behaviour="crash"),
        external=ScriptedAgent("external", behaviour="hang"),
    )
    server = start_server(team, agent_timeout_s=0.3)
    async with api(server) as client:
        audit_id = await create_audit(client)
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
        snap = await wait_finished(client, audit_id)
    failed = {f["agent"]: f["error"] for f in stream.of_type("agent_failed")}
    assert failed["logic"]["code"] == "crashed"
    assert (
        "secret" not in failed["logic"]["message"] and "Traceback" not in failed["logic"]["message"]
    )
    assert failed["external"]["code"] == "timeout" and failed["external"]["retryable"] is True
    assert {f["agent"] for f in stream.of_type("agent_completed")} == {"numeric", "disclosure"}
    finished = stream.of_type("audit_finished")
    assert len(finished) == 1 and stream.frames[-1] is finished[0]
    assert finished[0]["status"] == "completed_with_errors"
    outcomes = {o["agent"]: o for o in finished[0]["summary"]["agents"]}
    assert outcomes["logic"]["error_code"] == "crashed"
    assert outcomes["external"]["error_code"] == "timeout"
    assert outcomes["numeric"]["state"] == "completed"
    assert snap["state"] == "completed_with_errors"
    assert stream.seqs == list(range(1, len(stream.seqs) + 1))


async def test_findings_are_counted_in_the_summary(start_server):
    server = start_server(agents(numeric=ScriptedAgent("numeric", findings=3)))
    async with api(server) as client:
        audit_id = await create_audit(client)
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
        listed = (await client.get("/api/v1/audits")).json()["audits"]
    summary = stream.frames[-1]["summary"]
    assert summary["findings"] == {"high": 3, "medium": 0, "low": 0}
    item = next(a for a in listed if a["audit_id"] == audit_id)
    assert item["state"] == "completed" and item["findings"]["high"] == 3


async def test_progress_is_rate_limited_and_monotonic(start_server):
    gate = Gate()
    team = agents(numeric=ScriptedAgent("numeric", progress_steps=60, gate=gate))
    server = start_server(team, progress_per_s=10)
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            await asyncio.sleep(0.5)  # 60 steps of 5 ms: at most ~4 frames at 10/s
            gate.open()
            stream = await read_until_closed(ws)
    progress = stream.of_type("agent_progress")
    assert progress
    span_s = (parse_ts(progress[-1]["ts"]) - parse_ts(progress[0]["ts"])).total_seconds()
    assert len(progress) <= span_s * 10 + 2  # at most 10 per second, whatever the machine load
    assert len(progress) < 60
    done = [p["done"] for p in progress]
    assert done == sorted(done)
    completed_at = next(
        i
        for i, f in enumerate(stream.frames)
        if f["type"] == "agent_completed" and f["agent"] == "numeric"
    )
    assert all(
        i < completed_at
        for i, f in enumerate(stream.frames)
        if f["type"] == "agent_progress" and f["agent"] == "numeric"
    )


async def test_cancel_stops_agents_and_is_harmless_twice(start_server):
    gate = Gate()
    team = agents(
        disclosure=ScriptedAgent("disclosure", gate=gate),
        external=ScriptedAgent("external", gate=gate),
    )
    server = start_server(team)
    async with api(server) as client:
        audit_id = await create_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}") as ws:
            await read_until_closed(ws, until=lambda f: f["type"] == "agent_completed")
            first = await client.post(f"/api/v1/audits/{audit_id}/cancel")
            second = await client.post(f"/api/v1/audits/{audit_id}/cancel")
            stream = await read_until_closed(ws)
        assert first.status_code == second.status_code == 202
        assert first.json()["state"] == second.json()["state"] == "cancelled"
        failed = {f["agent"]: f["error"]["code"] for f in stream.of_type("agent_failed")}
        assert failed == {"disclosure": "cancelled", "external": "cancelled"}
        assert stream.frames[-1]["type"] == "audit_finished"
        assert stream.frames[-1]["status"] == "cancelled"
        assert stream.close_code == codes.WS_1000_NORMAL
        snap = await wait_finished(client, audit_id)
        assert snap["state"] == "cancelled"
        again = await client.post(f"/api/v1/audits/{audit_id}/cancel")
        assert again.status_code == 202 and again.json()["state"] == "cancelled"


async def test_unreadable_document_fails_the_audit_without_starting_agents(start_server):
    team = agents()
    server = start_server(team)
    async with api(server) as client:
        # Passes the cheap upload check (valid UTF-8 text) but holds nothing to audit.
        response = await client.post(
            "/api/v1/audits", files={"document": ("empty.md", b"   \n\n  \n")}
        )
        assert response.status_code == 202, response.text
        audit_id = response.json()["audit_id"]
        stream = await ws_stream(f"{server.ws_base}/ws/audit/{audit_id}")
    assert [f["type"] for f in stream.events] == ["audit_finished"]
    assert stream.events[0]["status"] == "failed"
    assert stream.events[0]["error"]["code"] == "invalid_document"
    assert all(agent.calls == 0 for agent in team.values())
