"""Inside v1 only additions are allowed: nothing in the committed manifest may disappear."""

from __future__ import annotations

import json

from tests.contract.manifest import MANIFEST, build


def breaking_changes(old: dict, new: dict) -> list[str]:
    problems = []
    for name, before in old["definitions"].items():
        after = new["definitions"].get(name)
        if after is None:
            problems.append(f"{name}: removed or renamed")
            continue
        for field in before.get("fields", []):
            if field not in after.get("fields", []):
                problems.append(f"{name}.{field}: removed or renamed")
        if before.get("required") is not None and before["required"] != after.get("required"):
            problems.append(
                f"{name}: required fields changed {before['required']} -> {after.get('required')}"
            )
        for value in before.get("enum", []):
            if value not in after.get("enum", []):
                problems.append(f"{name}: enum value {value!r} removed")
        if before.get("consts") != after.get("consts") and before.get("consts") is not None:
            problems.append(f"{name}: constant changed {before['consts']} -> {after.get('consts')}")
        for title, value in before.get("names", {}).items():
            if after.get("names", {}).get(title) != value:
                problems.append(f"{name}: named value {title}={value!r} removed or changed")
        for member in before.get("union", []):
            if member not in after.get("union", []):
                problems.append(f"{name}: union member {member} removed")
    return problems


def test_schema_keeps_everything_in_the_committed_manifest() -> None:
    committed = json.loads(MANIFEST.read_text())
    assert breaking_changes(committed, build()) == []


def test_manifest_is_current_with_additions() -> None:
    """An addition must be recorded too, so the next change is checked against it."""
    assert json.loads(MANIFEST.read_text()) == build(), (
        "schema/v1 has additions the manifest lacks: run `.venv/bin/python -m tests.contract.manifest`"
    )


def test_removing_a_field_or_enum_value_is_detected() -> None:
    old = build()
    new = json.loads(json.dumps(old))
    new["definitions"]["AgentFailed"]["fields"].remove("error")
    new["definitions"]["ErrorCode"]["enum"].remove("timeout")
    del new["definitions"]["Heartbeat"]
    new["definitions"]["CloseCode"]["names"]["WS_4404_NO_SUCH_AUDIT"] = new["definitions"][
        "CloseCode"
    ]["names"].pop("WS_4404_UNKNOWN_AUDIT")
    new["definitions"]["ProblemCode"]["enum"].remove("unknown_audit")
    problems = breaking_changes(old, new)
    assert any("AgentFailed.error" in p for p in problems)
    assert any("'timeout'" in p for p in problems)
    assert any(p.startswith("Heartbeat") for p in problems)
    assert any("WS_4404_UNKNOWN_AUDIT" in p for p in problems)
    assert any("'unknown_audit'" in p for p in problems)


def test_adding_a_type_or_optional_field_is_allowed() -> None:
    old = build()
    new = json.loads(json.dumps(old))
    new["definitions"]["AgentStarted"]["fields"].append("attempt")
    new["definitions"]["Severity"]["enum"].append("info")
    new["definitions"]["AgentRetried"] = {
        "file": "frames.schema.json",
        "fields": ["v"],
        "required": ["v"],
    }
    assert breaking_changes(old, new) == []
