"""Bundled sample statement sets: real published statements rebuilt as Word documents.

`samples.json` lists them; `python -m bench.samples.build` rebuilds the .docx files from the
YAML under `bench/samples/data/` (a development tool; the server only reads the built files).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parent


def list_samples() -> list[dict[str, Any]]:
    """The manifest: [{name, title, description, document, prior_year?, memos[]}]."""
    entries: list[dict[str, Any]] = json.loads(
        (SAMPLES_DIR / "samples.json").read_text(encoding="utf-8")
    )
    return entries


def sample_path(name: str) -> Path:
    """Path of a bundled file (a sample's document, prior year or memo) by its file name."""
    names = {
        file
        for entry in list_samples()
        for file in [entry["document"], entry.get("prior_year"), *entry["memos"]]
        if file
    }
    if name not in names:
        raise KeyError(f"No bundled sample file {name!r}; known: {sorted(names)}")
    return SAMPLES_DIR / name
