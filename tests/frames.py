"""Validate frames and bodies against schema/v1 in tests: strictly, and as a client would.

Two flavours of the same schema files:
- published (`strict=False`): the files as served at /schema/v1/. Objects are open to additions,
  because v1 grows by additions and a client must accept a field it does not know yet.
- strict (the default): a transformed copy in which every object that declares `properties`
  is closed (`additionalProperties: false`). The server's own frames and bodies are checked
  with it, so a misspelt or undeclared field the server sends still fails a test.
  Unions keep selecting exactly one branch: each branch pins its tag with `const`, and closing a
  branch only removes instances from it.

Validators are built once (Draft 2020-12, format checking on, every schema file in one
registry) and cached. A failure names the exact JSON path: a top-level `oneOf` error is vague,
so a frame is re-validated against the branch its `type` selects.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema" / "v1"
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
# A field no version of the schema declares: what a later v1 server might add.
ADDED_FIELD = "added_in_a_later_v1"

# Keywords whose value is a map of subschemas, a list of subschemas, or one subschema.
_SCHEMA_MAPS = ("$defs", "properties", "patternProperties", "dependentSchemas")
_SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
_SCHEMA_ONE = ("items", "contains", "not", "if", "then", "else", "additionalProperties")
# With these next to `properties`, `additionalProperties: false` would reject the properties
# the other subschemas declare; closing such an object needs `unevaluatedProperties` instead.
_COMPOSED = ("allOf", "anyOf", "oneOf", "if", "$ref", "dependentSchemas")


class ContractViolation(AssertionError):
    """A frame or body that the v1 schema rejects."""


def closed(schema: Any) -> Any:
    """A copy of `schema` in which every object that declares `properties` is closed."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    for key in _SCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {name: closed(sub) for name, sub in out[key].items()}
    for key in _SCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [closed(sub) for sub in out[key]]
    for key in _SCHEMA_ONE:
        if isinstance(out.get(key), dict):
            out[key] = closed(out[key])
    if "properties" in out and "additionalProperties" not in out:
        composed = [key for key in _COMPOSED if key in out]
        if composed:
            raise ValueError(
                f"{out.get('title', 'an object')} combines properties with {composed}: "
                "teach tests/frames.py:closed() to close it with unevaluatedProperties"
            )
        out["additionalProperties"] = False
    return out


def with_addition(value: Any, key: str = ADDED_FIELD) -> Any:
    """A deep copy of `value` with one unknown field added to every object in it."""
    if isinstance(value, dict):
        grown = {k: with_addition(v, key) for k, v in value.items()}
        grown[key] = {"note": "a field this client does not know"}
        return grown
    if isinstance(value, list):
        return [with_addition(v, key) for v in value]
    return copy.deepcopy(value)


@cache
def _schemas(strict: bool = True) -> dict[str, dict[str, Any]]:
    published = {
        p.name: json.loads(p.read_text()) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }
    return {name: closed(doc) for name, doc in published.items()} if strict else published


@cache
def _registry(strict: bool = True) -> Registry:
    docs = _schemas(strict).values()
    return Registry().with_resources((doc["$id"], Resource.from_contents(doc)) for doc in docs)


@cache
def _file_of(definition: str) -> str:
    for name, doc in _schemas(False).items():
        if definition in doc.get("$defs", {}):
            return name
    raise KeyError(f"no schema file defines {definition!r}; see schema/v1/")


@cache
def validator(definition: str, strict: bool = True) -> Draft202012Validator:
    """A cached validator for one `$defs` entry, e.g. "Frame" or "Snapshot"."""
    ref = {"$ref": f"{BASE}{_file_of(definition)}#/$defs/{definition}"}
    return Draft202012Validator(
        ref, registry=_registry(strict), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(definition: str, instance: Any, *, strict: bool = True) -> list[str]:
    """Every violation as '<json path>: <message>' (empty when valid)."""
    found = validator(definition, strict).iter_errors(instance)
    return [f"{e.json_path}: {e.message}" for e in sorted(found, key=lambda e: list(e.path))]


def assert_valid(definition: str, instance: Any, *, strict: bool = True) -> None:
    problems = errors(definition, instance, strict=strict)
    if problems:
        if definition in ("Frame", "LogEvent") and isinstance(instance, dict):
            branch = FRAME_TYPES.get(str(instance.get("type")))
            if branch:
                problems = errors(branch, instance, strict=strict) or problems
        raise ContractViolation(f"invalid {definition}: " + "; ".join(problems[:5]))


def assert_valid_frame(frame: Any) -> None:
    """Every frame a server sends: the `Frame` union, strictly, with a precise path on failure."""
    assert_valid("Frame", frame)


def assert_valid_body(definition: str, body: Any) -> None:
    """A REST body the server sent, strictly, e.g. assert_valid_body("Snapshot", reply.json())."""
    assert_valid(definition, body)
