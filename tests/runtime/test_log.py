"""The event log on its own: numbering, the terminal rule, bounded followers, durability."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generated.models import AuditFinished, AuditStatus
from server.errors import AgentCrashed
from server.events import EventBuilder, agent_progress, now_ts, summary
from server.log import EventLog, FollowerTooSlow, LogClosed, Wire
from server.storage import AuditDatabase, AuditRecord
from tests.support.frames import assert_valid_frame


def _open(tmp_path: Path, queue_size: int = 8) -> tuple[AuditDatabase, EventLog]:
    store = AuditDatabase(tmp_path)
    store.open()
    store.create_audit(AuditRecord("audit-1", now_ts(), "a.md", "pending"))
    return store, EventLog(store, queue_size)


def _finish(builder: EventBuilder) -> AuditFinished:
    return builder.audit_finished(AuditStatus.completed, 1, summary([]))


def test_seq_must_be_contiguous_and_nothing_follows_the_terminal(tmp_path):
    store, log = _open(tmp_path)
    builder = EventBuilder("audit-1")
    log.append(builder.agent_started("numeric"))
    skipped = EventBuilder("audit-1", after=5)
    with pytest.raises(RuntimeError, match="expects seq 2"):
        log.append(skipped.agent_started("logic"))
    log.append(_finish(builder))
    with pytest.raises(LogClosed, match="terminal"):
        log.append(builder.agent_started("logic"))
    assert [w.seq for w in log.read("audit-1")] == [1, 2]
    assert store.get_audit("audit-1").state == "completed"  # type: ignore[union-attr]


async def test_follower_drops_progress_first_then_gives_up(tmp_path):
    _, log = _open(tmp_path, queue_size=3)
    builder = EventBuilder("audit-1")
    with log.follow("audit-1") as follower:
        for done in range(5):
            log.publish(agent_progress("audit-1", "numeric", done, 10, None))
        log.append(builder.agent_started("numeric"))
        log.append(builder.agent_started("logic"))
        # Full of three frames: the two log events evicted two progress frames.
        kinds = [(await follower.__anext__()).type for _ in range(3)]
        assert kinds == ["agent_progress", "agent_started", "agent_started"]
        # Four log events behind a buffer of three, and no progress left to drop.
        log.append(builder.agent_started("disclosure"))
        log.append(builder.agent_started("external"))
        log.append(builder.agent_failed("numeric", 0, AgentCrashed().to_info()))
        log.append(builder.agent_failed("logic", 0, AgentCrashed().to_info()))
        with pytest.raises(FollowerTooSlow):
            await follower.__anext__()
    assert log.subscriber_count("audit-1") == 0


async def test_follower_replays_then_tails_without_duplicates(tmp_path):
    _, log = _open(tmp_path)
    builder = EventBuilder("audit-1")
    log.append(builder.agent_started("numeric"))
    log.append(builder.agent_started("logic"))
    with log.follow("audit-1", after=1) as follower:
        log.append(_finish(builder))
        seen = [wire async for wire in follower]
    assert [w.seq for w in seen] == [2, 3]
    for wire in seen:
        assert_valid_frame(json.loads(wire.text))
    with log.follow("audit-1", after=3) as caught_up:
        assert [w async for w in caught_up] == []


def test_log_survives_reopening(tmp_path):
    store, log = _open(tmp_path)
    builder = EventBuilder("audit-1")
    written = [log.append(builder.agent_started("numeric")), log.append(_finish(builder))]
    store.close()
    reopened = AuditDatabase(tmp_path)
    reopened.open()
    fresh = EventLog(reopened, 8)
    assert fresh.read("audit-1") == written
    assert fresh.is_finished("audit-1") and fresh.last_seq("audit-1") == 2


def test_thousands_of_appends_are_stored_in_order(tmp_path):
    """Each append commits; the rate is a figure of bench/streaming/log.py, not a limit here."""
    store, log = _open(tmp_path)
    builder = EventBuilder("audit-1")
    written = [log.append(builder.agent_started("numeric")) for _ in range(2000)]
    assert [w.seq for w in written] == list(range(1, 2001))
    assert log.read("audit-1", after=1999) == written[-1:]
    assert isinstance(written[-1], Wire) and log.last_seq("audit-1") == 2000
