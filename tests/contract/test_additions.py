"""The evolution rule, tested: v1 grows by additions and a client accepts a field it does not know.

Every frame of every golden sequence and every valid fixture gets an unknown field in each of
its objects (the frame, its result, findings, locations, summary, error...). The published schema
accepts them; the strict schema the server is held to and the server's models reject them; and
the reduction the CLI (and, in tests/node/state.test.js, the page) runs gives the same snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from generated import models
from server.snapshot import reduce
from tests.frames import ADDED_FIELD, FRAME_TYPES, errors, with_addition

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEQUENCES = sorted(
    p.name.removesuffix(".events.json") for p in FIXTURES.glob("sequences/*.events.json")
)
BODIES = sorted((FIXTURES / "bodies").glob("*/valid-*.json"))
FRAMES = sorted((FIXTURES / "frames").glob("*/valid-*.json"))


def _load(path: Path) -> Any:
    return json.loads(path.read_text())


def _without_addition(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_addition(v) for k, v in value.items() if k != ADDED_FIELD}
    if isinstance(value, list):
        return [_without_addition(v) for v in value]
    return value


@pytest.mark.parametrize("path", FRAMES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_frame_with_added_fields_is_accepted_by_the_published_schema(path: Path) -> None:
    grown = with_addition(_load(path))
    assert errors("Frame", grown, strict=False) == []
    assert errors(FRAME_TYPES[path.parent.name], grown, strict=False) == []


@pytest.mark.parametrize("path", FRAMES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_server_may_not_send_a_field_the_schema_does_not_declare(path: Path) -> None:
    grown = with_addition(_load(path))
    assert errors("Frame", grown)
    branch = FRAME_TYPES[path.parent.name]
    assert any(ADDED_FIELD in problem for problem in errors(branch, grown))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        getattr(models, branch).model_validate(grown)


@pytest.mark.parametrize("path", BODIES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_body_with_added_fields_is_accepted_by_the_published_schema(path: Path) -> None:
    grown = with_addition(_load(path))
    assert errors(path.parent.name, grown, strict=False) == []
    assert errors(path.parent.name, grown)


def test_an_added_nested_field_is_caught_strictly_at_its_path() -> None:
    frame = _load(FIXTURES / "frames/agent_completed/valid-numeric.json")
    frame["result"]["findings"][0]["locations"][0]["page"] = 3
    assert errors("AgentCompleted", frame, strict=False) == []
    assert errors("AgentCompleted", frame)


@pytest.mark.parametrize("name", SEQUENCES)
def test_the_reduction_ignores_added_fields(name: str) -> None:
    events = _load(FIXTURES / f"sequences/{name}.events.json")
    expected = _load(FIXTURES / f"sequences/{name}.snapshot.json")
    grown = [with_addition(event) for event in events]
    for event in grown:
        assert errors("Frame", event, strict=False) == []
    snapshot = reduce(expected["audit_id"], grown)
    assert set(snapshot) == set(expected), "a frame's unknown field reached the snapshot"
    assert _without_addition(snapshot) == expected
