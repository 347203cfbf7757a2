"""The OpenAPI document (`/schema/openapi.json`): FastAPI's, corrected in two ways.

- Its schemas are the published ones. FastAPI renders the generated pydantic models, which close
  every object (they forbid extra fields, so the server cannot send one by mistake); published
  like that, they would tell clients to reject what v1 adds. `components.schemas` is replaced by
  the `$defs` of schema/v1, exactly as published, with their references made local.
- It lists only replies that happen. FastAPI adds a 422 "Validation Error" with its own body to
  every route that has a parameter; here a validation error is a Problem, and a route that can
  reply 422 declares it (rest.py, sse.py, via `problems.responses`), so the automatic ones go.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import FastAPI

COMPONENTS = "#/components/schemas/"
FASTAPI_VALIDATION_ERROR = COMPONENTS + "HTTPValidationError"


@cache
def published_schemas() -> dict[str, Any]:
    """Every `$defs` entry of schema/v1, with references rewritten to `#/components/schemas/`."""
    merged: dict[str, Any] = {}
    schema_files = (f for f in files("server.schema").joinpath("v1").iterdir() if f.is_file())
    for path in sorted(schema_files, key=lambda f: f.name):
        if not path.name.endswith(".schema.json"):
            continue
        for name, definition in json.loads(path.read_text(encoding="utf-8"))["$defs"].items():
            merged[name] = _local(definition)
    return merged


def _local(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: COMPONENTS + value.rsplit("/", 1)[-1]
            if key == "$ref" and isinstance(value, str) and "#/$defs/" in value
            else _local(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_local(value) for value in node]
    return node


def corrected(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the published schemas and without FastAPI's automatic 422s."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            replies = operation.get("responses", {})
            automatic = replies.get("422", {}).get("content", {}).get("application/json", {})
            if automatic.get("schema", {}).get("$ref") == FASTAPI_VALIDATION_ERROR:
                del replies["422"]
    document.setdefault("components", {})["schemas"] = published_schemas()
    missing = sorted(_refs(document.get("paths", {})) - set(published_schemas()))
    if missing:
        raise RuntimeError(f"OpenAPI routes refer to schemas schema/v1 does not define: {missing}")
    return document


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].removeprefix(COMPONENTS)} if "$ref" in node else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def install(app: FastAPI) -> None:
    """Serve the corrected document wherever FastAPI serves its own (/openapi.json, /docs)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        return corrected(generate())  # FastAPI caches the document; correcting it is idempotent

    app.openapi = openapi  # type: ignore[method-assign]
