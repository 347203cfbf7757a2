"""The snapshot reduction on the golden sequences (the page's reducer is held to the same files)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from server.snapshot import apply, empty, reduce
from tests.support.frames import assert_valid_body, assert_valid_frame

SEQUENCES = Path(__file__).parent / "fixtures" / "sequences"
CASES = sorted(p.name.removesuffix(".events.json") for p in SEQUENCES.glob("*.events.json"))


def _load(name: str) -> tuple[list[dict], dict]:
    events = json.loads((SEQUENCES / f"{name}.events.json").read_text())
    expected = json.loads((SEQUENCES / f"{name}.snapshot.json").read_text())
    return events, expected


@pytest.mark.parametrize("name", CASES)
def test_golden_sequence_reduces_to_its_snapshot(name: str) -> None:
    events, expected = _load(name)
    for event in events:
        assert_valid_frame(event)
    snapshot = reduce(expected["audit_id"], events)
    assert snapshot == expected
    assert_valid_body("Snapshot", snapshot)


@pytest.mark.parametrize("name", CASES)
def test_order_and_duplicates_do_not_change_the_snapshot(name: str) -> None:
    events, expected = _load(name)
    noisy = events + events[: len(events) // 2]
    random.Random(7).shuffle(noisy)
    assert reduce(expected["audit_id"], noisy) == expected


def test_unknown_frame_types_and_connection_frames_are_ignored() -> None:
    base = empty("aud_123456")
    assert apply(base, {"type": "agent_retried", "seq": 1}) == base
    assert apply(base, {"type": "heartbeat", "last_seq": 0}) == base


def test_apply_does_not_modify_its_input() -> None:
    events, expected = _load("completed")
    before = reduce(expected["audit_id"], events[:-1])
    frozen = json.dumps(before, sort_keys=True)
    apply(before, events[-1])
    assert json.dumps(before, sort_keys=True) == frozen
