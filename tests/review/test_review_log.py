"""The review log on its own: the same numbering and followers as the event log, no terminal
event, its own table beside the events, and a database from before it existed still opens."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from generated.models import Decision
from server.events import now_ts
from server.log import EventLog, FollowerGone, FollowerTooSlow, ReviewLog
from server.review import frames
from server.review.comparison import BadMatch, check_pairs, match_drafts
from server.storage import AuditDatabase, AuditRecord
from tests.support.frames import assert_valid_review_frame


def _open(tmp_path: Path, queue_size: int = 8) -> tuple[AuditDatabase, ReviewLog]:
    store = AuditDatabase(tmp_path)
    store.open()
    store.create_audit(AuditRecord("audit-1", now_ts(), "a.md", "completed"))
    return store, ReviewLog(store, queue_size)


def _decide(log: ReviewLog, decision: Decision = Decision.confirmed) -> None:
    log.append(frames.decision_recorded(log, "audit-1", "numeric-0123456789ab", decision, "A"))


def test_numbering_is_per_audit_and_checked(tmp_path):
    store, log = _open(tmp_path)
    _decide(log)
    stale = frames.decision_recorded(log, "audit-1", "numeric-0123456789ab", Decision.open, "A")
    _decide(log)
    with pytest.raises(RuntimeError, match="expects seq 3"):
        log.append(stale)
    wires = log.read("audit-1")
    assert [w.seq for w in wires] == [1, 2] and not any(w.terminal for w in wires)
    assert not log.is_finished("audit-1")
    events = EventLog(store, 8)
    assert events.last_seq("audit-1") == 0, "the audit's event log is numbered on its own"
    for wire in wires:
        assert_valid_review_frame(json.loads(wire.text))
    assert store.delete_audit("audit-1")
    assert store.read_review_events("audit-1") == []


async def test_a_follower_never_ends_on_its_own_but_a_deletion_ends_it(tmp_path):
    _, log = _open(tmp_path)
    _decide(log)
    with log.follow("audit-1") as follower:
        assert (await follower.__anext__()).seq == 1
        waiting = asyncio.create_task(follower.__anext__())
        await asyncio.sleep(0.05)
        assert not waiting.done(), "a review follower has no terminal event to stop at"
        _decide(log, Decision.open)
        assert (await waiting).seq == 2
        waiting = asyncio.create_task(follower.__anext__())
        await asyncio.sleep(0)
        log.forget("audit-1")
        with pytest.raises(FollowerGone):
            await waiting


async def test_a_slow_follower_overflows_and_resumes_by_cursor(tmp_path):
    _, log = _open(tmp_path, queue_size=2)
    with log.follow("audit-1") as follower:
        for _ in range(3):
            _decide(log)
        with pytest.raises(FollowerTooSlow):
            await follower.__anext__()
    with log.follow("audit-1", after=1) as resumed:
        assert [(await resumed.__anext__()).seq for _ in range(2)] == [2, 3]


def test_a_database_from_before_the_review_log_opens_and_keeps_its_audits(tmp_path):
    old = sqlite3.connect(tmp_path / "crosscheck.sqlite3")
    old.executescript(
        "CREATE TABLE audits (id TEXT PRIMARY KEY, created_at TEXT NOT NULL,"
        " document_name TEXT NOT NULL, sample TEXT, state TEXT NOT NULL, finished_at TEXT,"
        " findings TEXT);"
        "INSERT INTO audits (id, created_at, document_name, state)"
        " VALUES ('aud_old001', '2026-11-27T09:30:00.000Z', 'a.md', 'completed');"
    )
    old.commit()
    old.close()
    store = AuditDatabase(tmp_path)
    store.open()
    record = store.get_audit("aud_old001")
    assert record is not None and record.previous is None
    log = ReviewLog(store, 8)
    log.append(
        frames.decision_recorded(log, "aud_old001", "logic-0123456789ab", Decision.open, "A")
    )
    assert log.last_seq("aud_old001") == 1


def _f(fid: str, title: str, agent: str = "numeric") -> dict[str, str]:
    return {"id": fid, "agent": agent, "title": title}


def test_pairs_that_are_not_one_to_one_are_refused():
    before = [_f("numeric-aaaaaaaaaaaa", "A"), _f("logic-cccccccccccc", "C", "logic")]
    after = [
        _f("numeric-dddddddddddd", "A"),
        _f("numeric-eeeeeeeeeeee", "A"),
        _f("logic-ffffffffffff", "C", "logic"),
    ]
    with pytest.raises(BadMatch, match="more than once"):
        check_pairs(
            before,
            after,
            {
                "numeric-dddddddddddd": "numeric-aaaaaaaaaaaa",
                "numeric-eeeeeeeeeeee": "numeric-aaaaaaaaaaaa",
            },
        )
    with pytest.raises(BadMatch, match="two agents"):
        check_pairs(before, after, {"logic-ffffffffffff": "numeric-aaaaaaaaaaaa"})
    with pytest.raises(BadMatch, match="unknown"):
        check_pairs(before, after, {"numeric-000000000000": "numeric-aaaaaaaaaaaa"})


def test_the_default_matcher_is_the_drafts_matcher_and_tolerates_a_missing_document():
    before = [
        {
            "id": "logic-aaaaaaaaaaaa",
            "agent": "logic",
            "check": "narrative",
            "title": "A",
            "locations": [{"paragraph": "p1", "quote": "Revenue rose by 12% to 4,100."}],
        },
    ]
    after = [
        {
            "id": "logic-bbbbbbbbbbbb",
            "agent": "logic",
            "check": "narrative",
            "title": "A",
            "locations": [{"paragraph": "p7", "quote": "Revenue rose by 14% to 4,180."}],
        },
    ]
    # The same claim moved and its figures changed: persisting, with or without documents.
    assert match_drafts(before, after, None, None) == {"logic-bbbbbbbbbbbb": "logic-aaaaaaaaaaaa"}
