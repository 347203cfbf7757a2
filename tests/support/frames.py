"""Validate frames and bodies against schema/v1 in tests.

Validators are built once (Draft 2020-12, format checking on, every schema file in one
registry) and cached. A failure names the exact JSON path: a top-level `oneOf` error is vague,
so a frame is re-validated against the branch its `type` selects.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from tests.support.paths import SCHEMA_DIR

BASE = "https://crosscheck.dev/schema/v1/"
FRAME_TYPES = {
    "audit_started": "AuditStarted",
    "agent_started": "AgentStarted",
    "agent_completed": "AgentCompleted",
    "agent_failed": "AgentFailed",
    "audit_finished": "AuditFinished",
    "agent_progress": "AgentProgress",
    "heartbeat": "Heartbeat",
}
RESULT_TYPES = {
    "numeric": "NumericResult",
    "logic": "LogicResult",
    "disclosure": "DisclosureResult",
    "external": "ExternalResult",
}


class ContractViolation(AssertionError):
    """A frame or body that the v1 schema rejects."""


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def _registry() -> Registry:
    resources = [(doc["$id"], Resource.from_contents(doc)) for doc in _schemas().values()]
    return Registry().with_resources(resources)


@cache
def _file_of(definition: str) -> str:
    for name, doc in _schemas().items():
        if definition in doc.get("$defs", {}):
            return name
    raise KeyError(f"no schema file defines {definition!r}; see schema/v1/")


@cache
def validator(definition: str) -> Draft202012Validator:
    """A cached validator for one `$defs` entry, e.g. "Frame" or "Snapshot"."""
    ref = {"$ref": f"{BASE}{_file_of(definition)}#/$defs/{definition}"}
    return Draft202012Validator(
        ref, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(definition: str, instance: Any) -> list[str]:
    """Every violation as '<json path>: <message>' (empty when valid)."""
    found = sorted(validator(definition).iter_errors(instance), key=lambda e: list(e.path))
    return [f"{e.json_path}: {e.message}" for e in found]


def assert_valid(definition: str, instance: Any) -> None:
    problems = errors(definition, instance)
    if problems:
        if definition in ("Frame", "LogEvent") and isinstance(instance, dict):
            branch = FRAME_TYPES.get(str(instance.get("type")))
            if branch:
                problems = errors(branch, instance) or problems
        raise ContractViolation(f"invalid {definition}: " + "; ".join(problems[:5]))


def assert_valid_frame(frame: Any) -> None:
    """Every frame a server sends: the `Frame` union, with a precise path on failure."""
    assert_valid("Frame", frame)


def assert_valid_body(definition: str, body: Any) -> None:
    """A REST body, e.g. assert_valid_body("Snapshot", response.json())."""
    assert_valid(definition, body)
