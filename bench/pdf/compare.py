"""Candidate PDF libraries on the corpus 10-Ks: seconds, peak memory, tables on statement pages.

    python -m bench.pdf.compare [--libs a,b] [--corpus DIR] [FILE ...]

Each (library, file) runs in a fresh child process, so its peak RSS is its own. "Seconds" is a
full read: every page's words (or characters with their boxes) and, for libraries with a table
finder, its tables on every page. "Statement pages" counts the tables found on each primary
statement page (bench/pdf/statements.py): 1 is right, more means the statement fell apart, 0
means the finder missed it. Libraries that are not installed are skipped with a note; PyMuPDF,
pdftext and playa-pdf are not project dependencies (install them in a scratch venv and run this
script there with PYTHONPATH set to the worktree). `crosscheck` is our reader (server.ingest.pdf).
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.pdf.corpus import corpus_dir
from bench.pdf.statements import STATEMENT_PAGES

PLUMBER_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}

# Each reader: path, set of 0-based statement page indexes -> {page index: tables found}.
Reader = Callable[[str, set[int]], dict[int, int]]


def _plumber(settings: dict[str, str] | None) -> Reader:
    def read(path: str, wanted: set[int]) -> dict[int, int]:
        import pdfplumber

        found: dict[int, int] = {}
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages):
                page.extract_words(extra_attrs=["size", "fontname"])
                tables = page.find_tables(settings) if settings else page.find_tables()
                if i in wanted:
                    found[i] = len(tables)
                page.close()
        return found

    return read


def _pymupdf(strategy: str) -> Reader:
    def read(path: str, wanted: set[int]) -> dict[int, int]:
        import pymupdf

        found: dict[int, int] = {}
        with pymupdf.open(path) as doc:
            for i, page in enumerate(doc):
                page.get_text("words")
                tables = page.find_tables(strategy=strategy)
                if i in wanted:
                    found[i] = len(tables.tables)
        return found

    return read


def _pymupdf_words(path: str, wanted: set[int]) -> dict[int, int]:
    import pymupdf

    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("dict")
            page.get_drawings()
    return {}


def _pdfium_chars(path: str, wanted: set[int]) -> dict[int, int]:
    """Characters with their boxes and font sizes, and the filled/stroked paths' boxes."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(path)
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        n = textpage.count_chars()
        text = textpage.get_text_range()
        boxes = [textpage.get_charbox(k) for k in range(n)]
        sizes = [raw.FPDFText_GetFontSize(textpage.raw, k) for k in range(n)]
        paths = [o.get_bounds() for o in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH])]
        del text, boxes, sizes, paths
        textpage.close()
        page.close()
    doc.close()
    return {}


def _pdftext(path: str, wanted: set[int]) -> dict[int, int]:
    from pdftext.extraction import dictionary_output

    dictionary_output(path, workers=1)
    return {}


def _playa(path: str, wanted: set[int]) -> dict[int, int]:
    import playa

    with playa.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
    return {}


def _crosscheck(path: str, wanted: set[int]) -> dict[int, int]:
    from server.ingest.pdf import read_pdf
    from server.ingest.raw import RawTable

    raw = read_pdf(Path(path).read_bytes(), Path(path).name)
    found = dict.fromkeys(wanted, 0)
    for block in raw.blocks:
        if isinstance(block, RawTable) and getattr(block, "page", None) is not None:
            page = block.page - 1  # type: ignore[attr-defined]
            if page in found:
                found[page] += 1
    return found


LIBRARIES: dict[str, tuple[str, Reader]] = {
    "pdfplumber-lines": ("pdfplumber", _plumber(None)),
    "pdfplumber-text": ("pdfplumber", _plumber(PLUMBER_TEXT)),
    "pymupdf-lines": ("pymupdf", _pymupdf("lines")),
    "pymupdf-text": ("pymupdf", _pymupdf("text")),
    "pymupdf-dict": ("pymupdf", _pymupdf_words),
    "pypdfium2-chars": ("pypdfium2", _pdfium_chars),
    "pdftext": ("pdftext", _pdftext),
    "playa": ("playa", _playa),
    "crosscheck": ("pypdfium2", _crosscheck),
}


def _child(name: str, path: str, wanted: list[int], out: Any) -> None:
    start = time.perf_counter()
    found = LIBRARIES[name][1](path, set(wanted))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"seconds": round(seconds, 1), "peak_mb": round(peak), "found": found})


def measure(name: str, path: Path, timeout_s: float) -> dict[str, Any]:
    pages = STATEMENT_PAGES.get(path.name, {})
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(
        target=_child, args=(name, str(path), [p - 1 for p in pages.values()], queue)
    )
    proc.start()
    try:
        result: dict[str, Any] = queue.get(timeout=timeout_s)
    except Exception:  # noqa: BLE001 - a timeout is a figure of the table
        proc.kill()
        result = {"error": f"no result in {timeout_s:.0f} s"}
    proc.join()
    found = result.pop("found", {})
    if found:
        result["statements"] = {k: found.get(p - 1, 0) for k, p in pages.items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=corpus_dir())
    parser.add_argument("--libs", default=",".join(LIBRARIES))
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    corpus = args.corpus
    if corpus is None or not corpus.is_dir():
        print("the corpus (shared/corpus/pdf) is absent on this machine: nothing to measure")
        return
    paths = sorted(corpus.glob("*.pdf"))
    if args.files:
        paths = [p for p in paths if any(f.lower() in p.name.lower() for f in args.files)]
    figures: dict[str, dict[str, Any]] = {}
    for name in args.libs.split(","):
        module = LIBRARIES[name][0]
        if importlib.util.find_spec(module) is None:
            print(f"\n{name}: {module} is not installed here, skipped")
            continue
        print(f"\n{name}")
        print(f"  {'file':30} {'s':>6} {'MB':>5}  tables per statement page")
        rows = figures.setdefault(name, {})
        for path in paths:
            r = measure(name, path, args.timeout)
            rows[path.name] = r
            if "error" in r:
                print(f"  {path.name:30} {r['error']}", flush=True)
                continue
            stm = " ".join(f"{k}:{v}" for k, v in r.get("statements", {}).items())
            print(f"  {path.name:30} {r['seconds']:>6} {r['peak_mb']:>5}  {stm}", flush=True)
        done = [r for r in rows.values() if "error" not in r]
        one = sum(1 for r in done for v in r.get("statements", {}).values() if v == 1)
        pages = sum(len(r.get("statements", {})) for r in done)
        total = sum(r["seconds"] for r in done)
        peak = max((r["peak_mb"] for r in done), default=0)
        tail = f", statement pages read as one table: {one}/{pages}" if pages else ""
        print(f"  total {total:.1f} s, max peak {peak} MB{tail}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
