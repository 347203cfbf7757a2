"""Golden fixtures: valid ones validate and round-trip through the generated models unchanged;
invalid ones are rejected. The folder names the definition, the file name says which.

Valid fixtures pass both the strict and the published schema. Invalid ones fail the strict
schema and the models; the published schema (open to additions) rejects them too, except the
ones listed in fixtures/additions.json, whose only fault is an undeclared field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import Field, TypeAdapter, ValidationError

from generated import models
from tests.frames import FRAME_TYPES, RESULT_TYPES, ContractViolation, assert_valid, errors

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _cases(kind: str) -> list[tuple[str, Path]]:
    found = []
    for path in sorted((FIXTURES / kind).glob("*/*.json")):
        folder = path.parent.name
        definition = {"frames": FRAME_TYPES, "results": RESULT_TYPES}.get(kind, {}).get(
            folder, folder
        )
        found.append((definition, path))
    return found


ALL = _cases("frames") + _cases("results") + _cases("bodies")
VALID = [c for c in ALL if c[1].name.startswith("valid-")]
INVALID = [c for c in ALL if c[1].name.startswith("invalid-")]
ADDITIONS = set(json.loads((FIXTURES / "additions.json").read_text())["fixtures"])
UNION = {"frames": "Frame", "results": "AgentResult"}
# AgentResult is inlined into AgentCompleted.result by the generator (no class of its own).
AGENT_RESULT: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        models.NumericResult | models.LogicResult | models.DisclosureResult | models.ExternalResult,
        Field(discriminator="agent"),
    ]
)


def _adapter(union: str) -> TypeAdapter[Any]:
    return AGENT_RESULT if union == "AgentResult" else TypeAdapter(getattr(models, union))


def _id(case: tuple[str, Path]) -> str:
    return f"{case[1].parent.parent.name}/{case[1].parent.name}/{case[1].stem}"


def test_every_frame_type_and_result_has_valid_and_invalid_examples() -> None:
    folders = {p.parent.name for _, p in VALID}
    assert set(FRAME_TYPES) <= folders
    assert set(RESULT_TYPES) <= folders
    assert all(name.startswith(("valid-", "invalid-")) for _, name in ((0, p.name) for _, p in ALL))
    assert len(INVALID) >= 10


@pytest.mark.parametrize("case", VALID, ids=_id)
def test_valid_fixture_validates_and_round_trips(case: tuple[str, Path]) -> None:
    definition, path = case
    data = json.loads(path.read_text())
    assert_valid(definition, data)
    assert_valid(definition, data, strict=False)
    union = UNION.get(path.parent.parent.name)
    if union:
        assert_valid(union, data)
        assert_valid(union, data, strict=False)
    model = getattr(models, definition)
    parsed = model.model_validate_json(path.read_text())
    assert parsed.model_dump(mode="json") == data


@pytest.mark.parametrize("case", INVALID, ids=_id)
def test_invalid_fixture_is_rejected_by_schema_and_models(case: tuple[str, Path]) -> None:
    definition, path = case
    data = json.loads(path.read_text())
    with pytest.raises(ContractViolation):
        assert_valid(definition, data)
    union = UNION.get(path.parent.parent.name)
    if union:
        assert errors(union, data)
        with pytest.raises(ValidationError):
            _adapter(union).validate_python(data)
    with pytest.raises(ValidationError):
        getattr(models, definition).model_validate(data)


@pytest.mark.parametrize("case", INVALID, ids=_id)
def test_published_schema_rejects_an_invalid_fixture_unless_its_fault_is_an_addition(
    case: tuple[str, Path],
) -> None:
    definition, path = case
    data = json.loads(path.read_text())
    published = errors(definition, data, strict=False)
    union = UNION.get(path.parent.parent.name)
    if path.relative_to(FIXTURES).as_posix() in ADDITIONS:
        assert published == [], "a client must accept a field a later v1 adds"
        assert not union or errors(union, data, strict=False) == []
    else:
        assert published, "the published schema accepts a fixture the server must never send"
        assert not union or errors(union, data, strict=False)


def test_every_listed_addition_is_an_invalid_fixture() -> None:
    invalid = {p.relative_to(FIXTURES).as_posix() for _, p in INVALID}
    assert ADDITIONS, "fixtures/additions.json lists nothing"
    assert ADDITIONS.issubset(invalid), sorted(ADDITIONS - invalid)


def test_violation_names_the_exact_path() -> None:
    frame = json.loads(
        (FIXTURES / "frames/agent_failed/invalid-unknown-error-code.json").read_text()
    )
    with pytest.raises(ContractViolation, match=r"\$\.error\.code"):
        assert_valid("Frame", frame)
