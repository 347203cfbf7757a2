"""Decisions and sign-off over REST on a real server: every rule, every refusal, and the state."""

from __future__ import annotations

from tests.support.frames import assert_valid_body, assert_valid_review_frame
from tests.support.harness import (
    Gate,
    ScriptedAgent,
    api,
    create_audit,
    snapshot,
    wait_finished,
    wait_for_seq,
)
from tests.support.review import (
    SPECS,
    RoundsAgent,
    decide,
    entry,
    fid,
    finished_audit,
    review,
    team,
)

ASSETS, CASH, ROUNDING, EQUITY = (fid(key) for key, _, _ in SPECS)


async def test_a_decision_is_recorded_and_never_overwritten(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        first = await decide(client, audit_id, CASH, "dismissed", reason="immaterial", note="0.1%")
        assert first.status_code == 201, first.text
        event = first.json()
        assert_valid_review_frame(event)
        assert (event["type"], event["seq"], event["finding_id"]) == ("decision_recorded", 1, CASH)
        assert (event["reason"], event["note"], event["reviewer"]) == (
            "immaterial",
            "0.1%",
            "A. Mensah",
        )
        assert (
            await decide(client, audit_id, CASH, "open", reviewer="J. Okafor")
        ).status_code == 201
        assert (await decide(client, audit_id, CASH, "confirmed")).status_code == 201
        state = await review(client, audit_id)
    cash = entry(state, CASH)
    assert [h["decision"] for h in cash["history"]] == ["dismissed", "open", "confirmed"]
    assert [h["seq"] for h in cash["history"]] == [1, 2, 3]
    assert cash["history"][1]["reviewer"] == "J. Okafor"
    assert (cash["decision"], cash["severity"], cash["agent"]) == ("confirmed", "medium", "numeric")
    assert state["last_seq"] == 3
    assert state["counts"]["decided"] == 1 and state["counts"]["total"] == 4
    assert state["counts"]["by_severity"]["medium"] == {"decided": 1, "total": 2}
    assert [f["finding_id"] for f in state["findings"]] == [ASSETS, CASH, ROUNDING, EQUITY]
    assert all(
        f["decision"] == "open" and f["history"] == [] for f in state["findings"] if f is not cash
    )


async def test_the_snapshot_carries_the_same_review(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        unreviewed = await snapshot(client, audit_id)
        await decide(client, audit_id, ASSETS, "confirmed")
        snap = await snapshot(client, audit_id)
        state = await review(client, audit_id)
    assert snap["review"] == state
    assert snap["state"] == "completed" and snap["last_seq"] == 10
    # Until the review log has an event the snapshot is the audit's alone, as it always was.
    assert "review" not in unreviewed
    assert {k: v for k, v in snap.items() if k != "review"} == unreviewed


async def test_refusals_are_clear_problems(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        url = f"/api/v1/audits/{audit_id}/decisions"

        async def problem(response, status: int, code: str, *words: str) -> None:
            assert response.status_code == status, response.text
            body = response.json()
            assert_valid_body("Problem", body)
            assert body["code"] == code, body
            for word in words:
                assert word in body["detail"], body

        unknown = fid("nowhere")
        await problem(
            await decide(client, audit_id, unknown, "confirmed"), 422, "unknown_finding", unknown
        )
        await problem(
            await decide(client, audit_id, CASH, "dismissed"), 422, "reason_required", CASH
        )
        await problem(
            await decide(client, audit_id, CASH, "confirmed", reason="immaterial"),
            422,
            "invalid_request",
            "reason",
        )
        await problem(await client.post(url, content=b"{not json"), 422, "invalid_request", "JSON")
        await problem(await client.post(url, json=[1, 2]), 422, "invalid_request", "object")
        await problem(
            await client.post(url, json={"finding_id": CASH, "decision": "confirmed"}),
            422,
            "invalid_request",
            "reviewer",
        )
        await problem(
            await client.post(
                url, json={"finding_id": CASH, "decision": "accepted", "reviewer": "x"}
            ),
            422,
            "invalid_request",
            "decision",
        )
        await problem(
            await client.post(
                url, json={"finding_id": "t3/r12", "decision": "open", "reviewer": "x"}
            ),
            422,
            "invalid_request",
            "finding_id",
        )
        await problem(
            await client.post(url, json={"finding_id": CASH, "decision": "open", "reviewer": ""}),
            422,
            "invalid_request",
            "reviewer",
        )
        for path in ("review", "decisions", "sign-off"):
            method = client.get if path == "review" else client.post
            kwargs = {} if path == "review" else {"json": {"reviewer": "x"}}
            await problem(
                await method(f"/api/v1/audits/aud_nothere1/{path}", **kwargs),
                404,
                "unknown_audit",
                "aud_nothere1",
            )
        # Nothing refused reached the log.
        assert (await review(client, audit_id))["last_seq"] == 0


async def test_sign_off_is_refused_until_high_and_medium_are_decided(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        audit_id = await finished_audit(client)
        sign = f"/api/v1/audits/{audit_id}/sign-off"
        refused = await client.post(sign, json={"reviewer": "J. Okafor"})
        assert refused.status_code == 409 and refused.json()["code"] == "findings_undecided"
        detail = refused.json()["detail"]
        assert "3 findings" in detail and "1 high" in detail and "2 medium" in detail, detail
        assert ASSETS in detail and ROUNDING not in detail

        await decide(client, audit_id, ASSETS, "confirmed")
        await decide(client, audit_id, CASH, "dismissed", reason="explained_elsewhere")
        await decide(client, audit_id, EQUITY, "dismissed", reason="false_alarm")
        await decide(client, audit_id, EQUITY, "open")  # reopened: undecided again
        again = await client.post(sign, json={"reviewer": "J. Okafor"})
        assert again.status_code == 409 and "1 finding has" in again.json()["detail"]
        assert "1 medium" in again.json()["detail"] and EQUITY in again.json()["detail"]

        await decide(client, audit_id, EQUITY, "confirmed")
        signed = await client.post(
            sign, json={"reviewer": "J. Okafor", "note": "With the partner."}
        )
        assert signed.status_code == 201, signed.text
        event = signed.json()
        assert_valid_review_frame(event)
        assert (event["type"], event["seq"], event["reviewer"]) == (
            "audit_signed_off",
            6,
            "J. Okafor",
        )
        assert event["counts"]["decided"] == 3 and event["counts"]["total"] == 4
        assert event["counts"]["by_severity"]["low"] == {"decided": 0, "total": 1}

        twice = await client.post(sign, json={"reviewer": "Someone else"})
        assert twice.status_code == 409 and twice.json()["code"] == "signed_off"
        assert "J. Okafor" in twice.json()["detail"]
        late = await decide(client, audit_id, ROUNDING, "confirmed")
        assert late.status_code == 409 and late.json()["code"] == "signed_off"
        bad = await client.post(sign, json={"note": "no name"})
        assert bad.status_code == 422 and "reviewer" in bad.json()["detail"]
        state = await review(client, audit_id)
    assert state["sign_off"]["reviewer"] == "J. Okafor" and state["sign_off"]["seq"] == 6
    assert state["sign_off"]["note"] == "With the partner."
    assert state["last_seq"] == 6


async def test_decisions_while_running_but_sign_off_only_after_audit_finished(start_server):
    gate = Gate()
    server = start_server(team(RoundsAgent([SPECS[:1]]), logic=ScriptedAgent("logic", gate=gate)))
    async with api(server) as client:
        audit_id = await create_audit(client)
        await wait_for_seq(client, audit_id, 6)  # numeric's result is in
        assert (await snapshot(client, audit_id))["state"] == "running"
        early = await decide(client, audit_id, ASSETS, "confirmed")
        assert early.status_code == 201, early.text
        not_yet = await decide(client, audit_id, CASH, "confirmed")
        assert not_yet.status_code == 422 and "yet" in not_yet.json()["detail"]
        refused = await client.post(f"/api/v1/audits/{audit_id}/sign-off", json={"reviewer": "J"})
        assert refused.status_code == 409 and refused.json()["code"] == "audit_not_finished"
        gate.open()
        await wait_for_seq(client, audit_id, 10)
        signed = await client.post(f"/api/v1/audits/{audit_id}/sign-off", json={"reviewer": "J"})
        assert signed.status_code == 201, signed.text


async def test_a_failed_audit_cannot_be_signed_off(start_server):
    server = start_server(team(RoundsAgent([SPECS])))
    async with api(server) as client:
        # Passes the upload check but holds nothing to audit: failed/invalid_document.
        response = await client.post(
            "/api/v1/audits", files={"document": ("empty.md", b"   \n\n  \n")}
        )
        audit_id = response.json()["audit_id"]
        assert (await wait_finished(client, audit_id))["state"] == "failed"
        refused = await client.post(f"/api/v1/audits/{audit_id}/sign-off", json={"reviewer": "J"})
        assert refused.status_code == 409 and refused.json()["code"] == "audit_not_completed"
        assert "failed" in refused.json()["detail"]
        state = await review(client, audit_id)
    assert state["findings"] == [] and state["counts"]["total"] == 0
