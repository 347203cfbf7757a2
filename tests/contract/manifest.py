"""The v1 manifest: every definition's fields, required fields, enum values and constants
(including named values, such as the close codes, whose names the generated code exports).

`schema/manifest.v1.json` is committed; tests/contract/test_compat.py fails when the schema
drops or renames anything in it. After an ADDITIVE change, refresh it with
`.venv/bin/python -m tests.contract.manifest` and commit both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema" / "v1"
MANIFEST = SCHEMA_DIR.parent / "manifest.v1.json"


def build() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        for name, node in json.loads(path.read_text())["$defs"].items():
            entry: dict[str, Any] = {"file": path.name}
            if "properties" in node:
                entry["fields"] = sorted(node["properties"])
                entry["required"] = sorted(node.get("required", []))
                consts = {k: v["const"] for k, v in node["properties"].items() if "const" in v}
                if consts:
                    entry["consts"] = consts
            if "enum" in node:
                entry["enum"] = list(node["enum"])
            if "const" in node:
                entry["const"] = node["const"]
            if "oneOf" in node and all("$ref" in r for r in node["oneOf"]):
                entry["union"] = sorted(r["$ref"].split("/")[-1] for r in node["oneOf"])
            elif "oneOf" in node and all("const" in r for r in node["oneOf"]):
                # Named values (CloseCode): each `const` with the constant's name as its title.
                entry["enum"] = [r["const"] for r in node["oneOf"]]
                entry["names"] = {r["title"]: r["const"] for r in node["oneOf"]}
            defs[name] = entry
    return {"protocol": 1, "definitions": defs}


def main() -> None:
    MANIFEST.write_text(json.dumps(build(), indent=2) + "\n")
    print(
        f"wrote {MANIFEST.relative_to(Path.cwd()) if MANIFEST.is_relative_to(Path.cwd()) else MANIFEST}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
