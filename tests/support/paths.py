"""Where the repository's parts are, computed once instead of by `__file__` arithmetic."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schema" / "v1"
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "server" / "samples"
SAMPLE_DATA = ROOT / "bench" / "samples" / "data"
