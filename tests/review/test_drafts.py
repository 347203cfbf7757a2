"""A next draft started with `previous`: checked before anything is stored, compared when its
agents finish (`drafts_compared`), earlier decisions carried forward, and all of it durable."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from tests.support.harness import (
    STATEMENT_MD,
    Gate,
    LiveServer,
    ScriptedAgent,
    api,
    make_settings,
    snapshot,
    wait_finished,
    wait_for_seq,
    ws_connect,
)
from tests.support.review import (
    DRAFT_2,
    NEW,
    SPECS,
    RoundsAgent,
    decide,
    entry,
    fid,
    finished_audit,
    read_review,
    review,
    team,
)

ASSETS, CASH, ROUNDING, EQUITY = (fid(key) for key, _, _ in SPECS)


async def _start_draft(client, previous: str) -> str:
    response = await client.post(
        "/api/v1/audits",
        files={"document": ("statement-v2.md", STATEMENT_MD)},
        data={"previous": previous},
    )
    assert response.status_code == 202, response.text
    links = response.json()["links"]
    assert links["review"].endswith(f"/api/v1/audits/{response.json()['audit_id']}/review")
    assert links["review_websocket"].startswith("ws://") and links["review_events"]
    return str(response.json()["audit_id"])


async def _wait_compared(client, audit_id: str) -> dict:
    for _ in range(500):
        state = await review(client, audit_id)
        if "drafts" in state:
            return state
        await asyncio.sleep(0.02)
    raise AssertionError(f"{audit_id} was never compared")


async def test_a_draft_is_compared_and_carries_decisions(start_server):
    server = start_server(team(RoundsAgent([SPECS, DRAFT_2])))
    async with api(server) as client:
        first = await finished_audit(client)
        await decide(client, first, ASSETS, "confirmed", note="Preparer to fix.")
        await decide(client, first, CASH, "dismissed", reason="immaterial", note="0.1%")
        await decide(client, first, EQUITY, "dismissed", reason="false_alarm")
        await decide(client, first, EQUITY, "open", reviewer="J. Okafor")  # latest is open
        draft = await _start_draft(client, first)
        async with ws_connect(f"{server.ws_base}/ws/audit/{draft}/review") as ws:
            stream = await read_review(ws, 2)
        state = await _wait_compared(client, draft)
        snap = await snapshot(client, draft)
        earlier = await review(client, first)
    compared, carried = stream.events
    assert compared["type"] == "drafts_compared" and compared["seq"] == 1
    assert compared["previous_audit_id"] == first
    assert compared["agents"] == ["numeric", "logic", "disclosure", "external"]
    assert compared["findings"] == [
        {"finding_id": NEW, "status": "new"},
        {"finding_id": CASH, "status": "persisting", "previous_finding_id": CASH},
        {"finding_id": ROUNDING, "status": "persisting", "previous_finding_id": ROUNDING},
        {"finding_id": EQUITY, "status": "persisting", "previous_finding_id": EQUITY},
    ]
    assert compared["resolved"] == [
        {
            "finding_id": ASSETS,
            "agent": "numeric",
            "severity": "high",
            "title": "Total assets does not add up (2024)",
        }
    ]
    # Only CASH carries: ASSETS is resolved, ROUNDING had no decision, EQUITY's latest is open.
    assert carried["type"] == "decision_recorded" and carried["seq"] == 2
    assert (carried["finding_id"], carried["decision"], carried["reason"]) == (
        CASH,
        "dismissed",
        "immaterial",
    )
    assert (carried["note"], carried["reviewer"]) == ("0.1%", "A. Mensah")
    assert carried["carried_from"] == {"audit_id": first, "finding_id": CASH}
    assert state["last_seq"] == 2
    assert state["drafts"]["previous_audit_id"] == first
    assert [r["finding_id"] for r in state["drafts"]["resolved"]] == [ASSETS]
    assert [(f["finding_id"], f.get("draft")) for f in state["findings"]] == [
        (NEW, "new"),
        (CASH, "persisting"),
        (ROUNDING, "persisting"),
        (EQUITY, "persisting"),
    ]
    assert entry(state, CASH)["decision"] == "dismissed"
    assert entry(state, CASH)["history"][0]["carried_from"]["audit_id"] == first
    assert entry(state, EQUITY)["decision"] == "open" and entry(state, EQUITY)["history"] == []
    assert snap["review"] == state
    assert earlier["last_seq"] == 4, "the earlier audit's review is left as it was"


async def test_a_decision_taken_in_the_draft_before_the_comparison_is_not_overwritten(
    start_server,
):
    gate = Gate()
    numeric = RoundsAgent([SPECS, SPECS])
    server = start_server(team(numeric, logic=ScriptedAgent("logic")))
    async with api(server) as client:
        first = await finished_audit(client)
        await decide(client, first, CASH, "dismissed", reason="immaterial")
        await decide(client, first, ASSETS, "confirmed")
        # The draft's logic agent waits: numeric's findings are in, the audit still runs.
        server.server.config.app.state.runtime.orchestrator.agents["logic"] = ScriptedAgent(
            "logic", gate=gate
        )
        draft = await _start_draft(client, first)
        await wait_for_seq(client, draft, 6)
        mine = await decide(client, draft, CASH, "confirmed", reviewer="J. Okafor")
        assert mine.status_code == 201
        gate.open()
        state = await _wait_compared(client, draft)
    cash = entry(state, CASH)
    assert [h["decision"] for h in cash["history"]] == ["confirmed"]
    assert "carried_from" not in cash["history"][0]
    assets = entry(state, ASSETS)
    assert assets["decision"] == "confirmed" and assets["history"][0]["carried_from"] == {
        "audit_id": first,
        "finding_id": ASSETS,
    }


async def test_previous_is_checked_before_anything_is_stored(start_server):
    gate = Gate()
    server = start_server(team(RoundsAgent([SPECS], gates={1: gate})))
    async with api(server) as client:
        first = await finished_audit(client)
        before = (await client.get("/api/v1/audits")).json()["audits"]
        unknown = await client.post(
            "/api/v1/audits",
            files={"document": ("s.md", STATEMENT_MD)},
            data={"previous": "aud_nothere1"},
        )
        bad = await client.post(
            "/api/v1/audits", data={"sample": "fanmilk-2024", "previous": "../etc"}
        )
        assert (await client.get("/api/v1/audits")).json()["audits"] == before
        running = await _start_draft(client, first)  # its numeric agent waits on the gate
        too_early = await client.post(
            "/api/v1/audits",
            files={"document": ("s.md", STATEMENT_MD)},
            data={"previous": running},
        )
        gate.open()
        await wait_finished(client, running)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_audit"
    assert "aud_nothere1" in unknown.json()["detail"]
    assert bad.status_code == 422 and "previous" in bad.json()["detail"]
    assert too_early.status_code == 409 and too_early.json()["code"] == "audit_not_finished"


async def test_a_failed_draft_is_not_compared(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        first = await finished_audit(client)
        response = await client.post(
            "/api/v1/audits",
            files={"document": ("empty.md", b"  \n\n")},
            data={"previous": first},
        )
        draft = response.json()["audit_id"]
        assert (await wait_finished(client, draft))["state"] == "failed"
        await asyncio.sleep(0.2)
        state = await review(client, draft)
    assert "drafts" not in state and state["last_seq"] == 0


async def test_an_agent_that_failed_is_left_out_of_the_comparison(start_server):
    numeric = RoundsAgent([SPECS])
    server = start_server(team(numeric))
    async with api(server) as client:
        first = await finished_audit(client)
        await decide(client, first, CASH, "confirmed")
        runtime = server.server.config.app.state.runtime
        runtime.orchestrator.agents["numeric"] = ScriptedAgent("numeric", behaviour="crash")
        draft = await _start_draft(client, first)
        state = await _wait_compared(client, draft)
    assert state["drafts"]["agents"] == ["logic", "disclosure", "external"]
    assert state["drafts"]["resolved"] == [], "a crashed agent resolves nothing"
    assert state["findings"] == [] and state["last_seq"] == 1


async def test_decisions_and_comparisons_survive_a_restart(tmp_path: Path):
    data = tmp_path / "data"
    server = LiveServer(make_settings(data), team(RoundsAgent([SPECS, DRAFT_2]))).start()
    try:
        async with api(server) as client:
            first = await finished_audit(client)
            await decide(client, first, CASH, "dismissed", reason="explained_elsewhere")
            draft = await _start_draft(client, first)
            compared = await _wait_compared(client, draft)
            before = {a: await review(client, a) for a in (first, draft)}
    finally:
        server.stop()
    # Lose the draft's comparison as if the process had stopped right after audit_finished.
    with sqlite3.connect(data / "crosscheck.sqlite3") as db:
        db.execute("DELETE FROM review_events WHERE audit_id = ?", (draft,))
    server = LiveServer(make_settings(data), team(RoundsAgent([SPECS]))).start()
    try:
        async with api(server) as client:
            restored = await review(client, first)
            recompared = await _wait_compared(client, draft)
            async with ws_connect(f"{server.ws_base}/ws/audit/{first}/review") as ws:
                replay = await read_review(ws, 1)
            await decide(client, first, ASSETS, "confirmed")
            after = await review(client, first)
    finally:
        server.stop()
    assert restored == before[first]
    assert replay.events[0]["finding_id"] == CASH and replay.seqs == [1]
    assert after["last_seq"] == 2, "numbering continues after a restart"
    strip = lambda s: [(f["finding_id"], f.get("draft"), f["decision"]) for f in s["findings"]]  # noqa: E731
    assert strip(recompared) == strip(compared)
    assert recompared["drafts"]["resolved"] == compared["drafts"]["resolved"]
