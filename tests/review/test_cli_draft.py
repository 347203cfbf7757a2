"""`crosscheck audit FILE --previous AUDIT_ID --url URL` against a real server: the next draft is
uploaded, followed to its end, and its comparison with the earlier draft printed; exit codes as
for every `crosscheck audit`."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
from typer.testing import CliRunner

from server.cli.commands import cli
from server.cli.outcome import EXIT_BAD_INPUT, EXIT_HIGH_FINDINGS, EXIT_INCOMPLETE
from tests.support.frames import assert_valid_frame, assert_valid_review_frame
from tests.support.harness import STATEMENT_MD, LiveServer, make_settings
from tests.support.review import DRAFT_2, NEW, SPECS, RoundsAgent, fid, team

ASSETS, CASH = fid("assets"), fid("cash")


def _earlier_audit(server: LiveServer) -> str:
    """A finished first draft with one dismissal, made over REST."""
    with httpx.Client(base_url=server.base, timeout=20) as client:
        created = client.post("/api/v1/audits", files={"document": ("s.md", STATEMENT_MD)})
        audit_id = str(created.json()["audit_id"])
        with client.stream("GET", f"/api/v1/audits/{audit_id}/events") as stream:
            for line in stream.iter_lines():
                if line == "event: audit_finished":
                    break
        decided = client.post(
            f"/api/v1/audits/{audit_id}/decisions",
            json={
                "finding_id": CASH,
                "decision": "dismissed",
                "reason": "immaterial",
                "reviewer": "A",
            },
        )
        assert decided.status_code == 201, decided.text
    return audit_id


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "statement-v2.md"
    path.write_bytes(STATEMENT_MD)
    return path


def test_json_lines_are_the_drafts_frames_then_its_review_frames(tmp_path: Path) -> None:
    server = LiveServer(make_settings(tmp_path / "data"), team(RoundsAgent([SPECS, DRAFT_2])))
    server.start()
    try:
        earlier = _earlier_audit(server)
        result = CliRunner().invoke(
            cli,
            ["audit", str(_file(tmp_path)), "--previous", earlier, "--url", server.base, "--json"],
        )
    finally:
        server.stop()
    assert result.exit_code == EXIT_HIGH_FINDINGS, result.output
    frames = [json.loads(line) for line in result.stdout.splitlines()]
    audit = [f for f in frames if f["type"] not in ("drafts_compared", "decision_recorded")]
    review = frames[len(audit) :]
    for frame in audit:
        assert_valid_frame(frame)
    for frame in review:
        assert_valid_review_frame(frame)
    assert audit[-1]["type"] == "audit_finished" and [f["seq"] for f in audit] == list(range(1, 11))
    assert [f["type"] for f in review] == ["drafts_compared", "decision_recorded"]
    compared, carried = review
    assert compared["previous_audit_id"] == earlier
    assert {f["finding_id"]: f["status"] for f in compared["findings"]}[NEW] == "new"
    assert [r["finding_id"] for r in compared["resolved"]] == [ASSETS]
    assert carried["carried_from"] == {"audit_id": earlier, "finding_id": CASH}


def test_the_terminal_view_prints_the_comparison(tmp_path: Path) -> None:
    server = LiveServer(make_settings(tmp_path / "data"), team(RoundsAgent([SPECS, DRAFT_2])))
    server.start()
    try:
        earlier = _earlier_audit(server)
        result = CliRunner().invoke(
            cli, ["audit", str(_file(tmp_path)), "--previous", earlier, "--url", server.base]
        )
    finally:
        server.stop()
    assert result.exit_code == EXIT_HIGH_FINDINGS, result.output
    out = result.stdout
    assert f"Against the earlier draft {earlier}: 1 new, 3 persisting, 1 resolved" in out, out
    assert "1 decision(s) carried forward" in out
    assert "NEW       Trade receivables do not agree with note 15 (2024)" in out
    assert "RESOLVED  Total assets does not add up (2024)" in out


def test_refusals_exit_2_and_an_unreachable_server_exits_3(tmp_path: Path) -> None:
    server = LiveServer(make_settings(tmp_path / "data"), team(RoundsAgent([SPECS]))).start()
    try:
        unknown = CliRunner().invoke(
            cli, ["audit", str(_file(tmp_path)), "--previous", "aud_nothere1", "--url", server.base]
        )
    finally:
        server.stop()
    assert unknown.exit_code == EXIT_BAD_INPUT, unknown.output
    assert "No earlier audit 'aud_nothere1'" in unknown.stderr
    no_url = CliRunner().invoke(cli, ["audit", str(_file(tmp_path)), "--previous", "aud_x12345"])
    assert no_url.exit_code == EXIT_BAD_INPUT and "--previous needs --url" in no_url.stderr
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    gone = CliRunner().invoke(
        cli, ["audit", str(_file(tmp_path)), "--url", f"http://127.0.0.1:{port}"]
    )
    assert gone.exit_code == EXIT_INCOMPLETE and "Cannot reach" in gone.stderr
