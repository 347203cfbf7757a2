"""Where the real reports are and which ones a run takes.

The corpus lives outside the repository (`/work/shared/corpus`, or `--corpus`, or the
CROSSCHECK_CORPUS environment variable) because published reports must never be copied into it.
Its layout is fixed by its README: `pdf/*.pdf`, `html/*.html` (inline-XBRL 10-Ks),
`html/<folder>/*.htm` (a 10-Q with its XBRL linkbases beside it) and `text/*.txt`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CORPUS = Path("/work/shared/corpus")
CORPUS_ENV = "CROSSCHECK_CORPUS"
FORMATS = ("pdf", "html", "text")

# (folder, glob) -> format; a report package keeps its .htm beside .xml linkbases, skipped here.
_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("pdf", "*.pdf", "pdf"),
    ("html", "*.html", "html"),
    ("html", "*/*.htm", "html"),
    ("html", "*.htm", "html"),
    ("html", "*.xhtml", "html"),
    ("text", "*.txt", "text"),
    ("text", "*.md", "text"),
)


@dataclass(frozen=True, slots=True)
class Report:
    """One report of the corpus: its file name is its name in every table and in verified.yaml."""

    name: str
    path: Path
    format: str


def corpus_dir(explicit: str | None = None) -> Path:
    """The corpus folder: `--corpus`, else CROSSCHECK_CORPUS, else the shared default."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)


def find_reports(root: Path, only: str | None = None, fmt: str | None = None) -> list[Report]:
    """Every report under `root`, by format then name; `only` is a case-insensitive substring."""
    found: dict[Path, Report] = {}
    for folder, pattern, kind in _PATTERNS:
        if fmt and kind != fmt:
            continue
        for path in sorted((root / folder).glob(pattern)):
            if path.is_file() and path not in found:
                found[path] = Report(name=path.name, path=path, format=kind)
    reports = sorted(found.values(), key=lambda r: (FORMATS.index(r.format), r.name.lower()))
    if only:
        reports = [r for r in reports if only.lower() in r.name.lower()]
    return reports
