"""The review stream over WebSocket and SSE: live for everyone on the audit, replayable by
cursor, never ending on its own, refusing bad requests with the audit stream's close codes."""

from __future__ import annotations

import asyncio

from server.snapshot import reduce
from server.transports import codes
from tests.support.harness import api, read_until_closed, sse_stream, ws_connect
from tests.support.review import (
    SPECS,
    RoundsAgent,
    decide,
    fid,
    finished_audit,
    read_review,
    review,
    review_frame,
    sse_review,
    team,
)

ASSETS, CASH, ROUNDING, EQUITY = (fid(key) for key, _, _ in SPECS)


async def test_two_reviewers_see_each_others_decisions(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as first, api(server) as second:
        audit_id = await finished_audit(first)
        url = f"{server.ws_base}/ws/audit/{audit_id}/review"
        async with ws_connect(url) as ws_first:
            sse = asyncio.create_task(sse_review(second, audit_id, 2))
            await asyncio.sleep(0.2)  # both subscribed; the decisions below arrive live
            mine = (await decide(first, audit_id, ASSETS, "confirmed")).json()
            theirs = (
                await decide(second, audit_id, CASH, "dismissed", reason="immaterial", reviewer="B")
            ).json()
            seen_first = await read_review(ws_first, 2)
            seen_second, ids = await sse
    assert seen_first.events == [mine, theirs] == seen_second
    assert ids == ["1", "2"]
    assert seen_first.close_code is None, "the review stream ended on its own"


async def test_a_reconnect_with_the_cursor_loses_nothing(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        url = f"{server.ws_base}/ws/audit/{audit_id}/review"
        async with ws_connect(url) as ws:
            await decide(client, audit_id, ASSETS, "confirmed")
            await decide(client, audit_id, CASH, "confirmed")
            head = await read_review(ws, 2)
        # Away: two more decisions, then back with ?after=2 (WebSocket) and Last-Event-ID (SSE).
        await decide(client, audit_id, EQUITY, "dismissed", reason="false_alarm")
        await decide(client, audit_id, CASH, "open")
        async with ws_connect(f"{url}?after={head.seqs[-1]}") as ws:
            rest = await read_review(ws, 2)
            await decide(client, audit_id, ROUNDING, "confirmed")
            live = await read_review(ws, 1)
        replayed, ids = await sse_review(client, audit_id, 3, headers={"Last-Event-ID": "2"})
        from_zero, _ = await sse_review(client, audit_id, 5, after=0)
        state = await review(client, audit_id)
        _, audit_frames, _ = await sse_stream(client, f"/api/v1/audits/{audit_id}/events")
    assert head.seqs == [1, 2] and rest.seqs == [3, 4] and live.seqs == [5]
    assert [f["seq"] for f in replayed] == [3, 4, 5] and ids == ["3", "4", "5"]
    assert from_zero == head.events + rest.events + live.events
    assert state["last_seq"] == 5
    # What the server keeps up to date event by event equals a reduction from scratch.
    assert reduce(audit_id, audit_frames, from_zero)["review"] == state


async def test_the_review_stream_stays_open_with_heartbeats(start_server):
    server = start_server(team(RoundsAgent([SPECS])), heartbeat_s=0.1)
    async with api(server) as client:
        audit_id = await finished_audit(client)
        await decide(client, audit_id, ASSETS, "confirmed")
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}/review") as ws:
            first = await read_review(ws, 1)
            beats = [review_frame(await ws.recv()) for _ in range(3)]
            await decide(client, audit_id, CASH, "confirmed")
            later = await read_review(ws, 1)
    assert first.seqs == [1] and later.seqs == [2]
    assert [b["type"] for b in beats] == ["heartbeat"] * 3
    assert all(b["last_seq"] == 1 for b in beats), "a review heartbeat names the review log's seq"


async def test_bad_requests_are_refused_with_codes(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        base = f"{server.ws_base}/ws/audit"
        cases = [
            (f"{base}/aud_nothere1/review", {}, codes.WS_4404_UNKNOWN_AUDIT),
            (f"{base}/{audit_id}/review?after=x", {}, codes.WS_4400_BAD_PARAMETER),
            (f"{base}/{audit_id}/review?after=1", {}, codes.WS_4400_BAD_PARAMETER),
            (
                f"{base}/{audit_id}/review",
                {"origin": "https://elsewhere.example"},
                codes.WS_4403_ORIGIN_NOT_ALLOWED,
            ),
        ]
        for url, headers, code in cases:
            async with ws_connect(url, additional_headers=headers) as ws:
                stream = await read_until_closed(ws)
            assert (stream.close_code, stream.frames) == (code, []), url
        events = f"/api/v1/audits/{audit_id}/review/events"
        missing = await client.get("/api/v1/audits/aud_nothere1/review/events")
        beyond = await client.get(f"{events}?after=1")
        malformed = await client.get(events, headers={"Last-Event-ID": "-1"})
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_audit"
    assert beyond.status_code == 400 and "newest" in beyond.json()["detail"]
    assert malformed.status_code == 400 and "Last-Event-ID" in malformed.json()["detail"]


async def test_deleting_the_audit_closes_its_review_stream(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}/review") as ws:
            await asyncio.sleep(0.1)
            assert (await client.delete(f"/api/v1/audits/{audit_id}")).status_code == 204
            stream = await read_review(ws)
        gone = await client.get(f"/api/v1/audits/{audit_id}/review")
    assert stream.close_code == codes.WS_4404_UNKNOWN_AUDIT and stream.frames == []
    assert gone.status_code == 404


async def test_shutdown_closes_the_review_stream_going_away(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
    async with ws_connect(f"{server.ws_base}/ws/audit/{audit_id}/review") as ws:
        await asyncio.sleep(0.1)
        await asyncio.to_thread(server.stop)
        stream = await read_review(ws)
    assert stream.close_code == codes.WS_1001_GOING_AWAY
