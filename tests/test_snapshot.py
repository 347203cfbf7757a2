"""The snapshot reduction on the golden sequences (the page's reducer is held to the same files)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from server.snapshot import apply, apply_review, empty, reduce, with_review
from tests.support.frames import assert_valid_body, assert_valid_frame, assert_valid_review_frame

SEQUENCES = Path(__file__).parent / "fixtures" / "sequences"
CASES = sorted(p.name.removesuffix(".events.json") for p in SEQUENCES.glob("*.events.json"))


REVIEW_CASES = [name for name in CASES if (SEQUENCES / f"{name}.review.json").exists()]


def _load(name: str) -> tuple[list[dict], dict]:
    events = json.loads((SEQUENCES / f"{name}.events.json").read_text())
    expected = json.loads((SEQUENCES / f"{name}.snapshot.json").read_text())
    return events, expected


def _review(name: str) -> list[dict] | None:
    """The review-log frames of a sequence (`NAME.review.json`), if it has a review."""
    path = SEQUENCES / f"{name}.review.json"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.mark.parametrize("name", CASES)
def test_golden_sequence_reduces_to_its_snapshot(name: str) -> None:
    events, expected = _load(name)
    for event in events:
        assert_valid_frame(event)
    review = _review(name)
    for frame in review or []:
        assert_valid_review_frame(frame)
    snapshot = reduce(expected["audit_id"], events, review)
    assert snapshot == expected
    assert_valid_body("Snapshot", snapshot)
    if review is not None:
        assert_valid_body("ReviewState", snapshot["review"])


@pytest.mark.parametrize("name", CASES)
def test_order_and_duplicates_do_not_change_the_snapshot(name: str) -> None:
    events, expected = _load(name)
    noisy = events + events[: len(events) // 2]
    random.Random(7).shuffle(noisy)
    review = _review(name)
    noisy_review = None if review is None else review + review[: len(review) // 2]
    if noisy_review is not None:
        random.Random(8).shuffle(noisy_review)
    assert reduce(expected["audit_id"], noisy, noisy_review) == expected


@pytest.mark.parametrize("name", REVIEW_CASES)
def test_review_events_before_audit_events_give_the_same_snapshot(name: str) -> None:
    """A page gets the two streams in any interleaving: review first, audit later."""
    events, expected = _load(name)
    snapshot = with_review(empty(expected["audit_id"]))
    for frame in _review(name) or []:
        snapshot = apply_review(snapshot, frame)
    for event in events:
        snapshot = apply(snapshot, event)
    assert snapshot == expected


def test_decisions_are_never_overwritten_and_the_latest_counts() -> None:
    events, expected = _load("review-signed-off")
    entry = next(
        f for f in expected["review"]["findings"] if f["finding_id"] == "logic-0a1b2c3d4e5f"
    )
    assert [h["decision"] for h in entry["history"]] == ["dismissed", "open", "dismissed"]
    assert entry["decision"] == "dismissed"
    # Stop before the last decision on it: the finding is back to open and the count drops.
    review = [f for f in _review("review-signed-off") or [] if f.get("seq", 0) <= 3]
    earlier = reduce(expected["audit_id"], events, review)["review"]
    assert earlier["counts"]["by_severity"]["medium"] == {"decided": 0, "total": 3}
    assert (
        next(f for f in earlier["findings"] if f["finding_id"] == entry["finding_id"])["decision"]
        == "open"
    )


def test_a_repeated_review_seq_changes_nothing() -> None:
    events, expected = _load("review-signed-off")
    snapshot = reduce(expected["audit_id"], events, _review("review-signed-off"))
    for frame in _review("review-signed-off") or []:
        assert apply_review(snapshot, frame) == snapshot
    assert apply_review(snapshot, {"type": "decision_amended", "seq": 99}) == snapshot


def test_unknown_frame_types_and_connection_frames_are_ignored() -> None:
    base = empty("aud_123456")
    assert apply(base, {"type": "agent_retried", "seq": 1}) == base
    assert apply(base, {"type": "heartbeat", "last_seq": 0}) == base


def test_apply_review_does_not_modify_its_input() -> None:
    events, expected = _load("review-draft")
    review = _review("review-draft") or []
    before = reduce(expected["audit_id"], events, review[:2])
    frozen = json.dumps(before, sort_keys=True)
    for frame in review:
        apply_review(before, frame)
    apply(before, events[-1])
    assert json.dumps(before, sort_keys=True) == frozen


def test_apply_does_not_modify_its_input() -> None:
    events, expected = _load("completed")
    before = reduce(expected["audit_id"], events[:-1])
    frozen = json.dumps(before, sort_keys=True)
    apply(before, events[-1])
    assert json.dumps(before, sort_keys=True) == frozen
