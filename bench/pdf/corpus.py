"""Where the shared corpus of real reports is: `shared/corpus/pdf` beside the checkout or
beside a folder above it (worktrees sit one level deeper), or $CROSSCHECK_CORPUS."""

from __future__ import annotations

import os
from pathlib import Path


def corpus_dir() -> Path | None:
    """The folder of corpus PDFs, or None when this machine has no corpus."""
    env = os.environ.get("CROSSCHECK_CORPUS")
    if env:
        path = Path(env) / "pdf"
        return path if path.is_dir() else None
    for parent in Path(__file__).resolve().parents[2:]:
        path = parent.parent / "shared" / "corpus" / "pdf"
        if path.is_dir():
            return path
    return None
