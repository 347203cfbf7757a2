"""Plain lxml against ixbrlparse and Arelle for the inline-XBRL side: time, memory, values.

    .venv/bin/python -m bench.html.compare [--lib-python /path/to/python] [--corpus DIR]

ixbrlparse (0.12.0) and Arelle (arelle-release 2.47.3) are not project dependencies: install
them in a separate virtualenv and pass its interpreter with `--lib-python`; a library that is
not importable there is reported as missing. Each file and candidate runs in a fresh process,
so peak RSS is that run's alone. Per file: seconds and peak RSS of
- `lxml-facts`: our catalogue of contexts and units plus every `ix:nonFraction` value;
- `lxml-full`: the whole HTML reader (`read_html`: body, tables, facts, cover page);
- `ixbrlparse`: `IXBRL(file)`, facts only (BeautifulSoup underneath);
- `arelle`: `modelManager.load` offline (the taxonomy cannot be fetched here), facts only;
and, for each library, how many numeric facts it valued and how many of those values differ
from ours (matched by fact id, relative difference over 1e-9). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.html.read import CORPUS

_IXBRLPARSE = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from ixbrlparse import IXBRL
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
    x = IXBRL(fh, raise_on_error=False)
seconds = time.perf_counter() - start
values = {}
for f in x.numeric:
    fid = f.soup_tag.get("id") if f.soup_tag is not None else None
    if fid and isinstance(f.value, (int, float)):
        values[fid] = float(f.value)
print(json.dumps({"seconds": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "facts": len(x.numeric), "values": values}))
"""

_ARELLE = """
import json, resource, sys, time
from arelle import Cntlr, FileSource
start = time.perf_counter()
cntlr = Cntlr.Cntlr(logFileName="logToBuffer")
cntlr.webCache.workOffline = True
model = cntlr.modelManager.load(FileSource.openFileSource(sys.argv[1], cntlr))
seconds = time.perf_counter() - start
values, facts = {}, 0
for f in model.facts:
    if "nonFraction" not in str(getattr(f, "elementQname", "")):
        continue
    facts += 1
    try:
        values[f.id] = float(f.value)
    except (TypeError, ValueError):
        pass
print(json.dumps({"seconds": seconds, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "facts": facts, "values": values}))
"""


def ours(path: Path, full: bool) -> dict[str, object]:
    from server.ingest.html import read_html
    from server.ingest.html.ixbrl import catalogue, numeric_fact
    from server.ingest.html.tree import IX_NS, parse

    data = path.read_bytes()
    start = time.perf_counter()
    if full:
        facts = read_html(data, path.name).facts
    else:
        root = parse(data, path.name)
        cat = catalogue(root)
        nodes = root.iter(f"{{{IX_NS}}}nonFraction", "ix:nonfraction")
        facts = [f for el in nodes if (f := numeric_fact(el, cat)) is not None]
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "facts": len(facts),
        "values": {f.id: f.value for f in facts if f.id and f.value is not None},
    }


def run(args: list[str]) -> dict[str, object] | None:
    out = subprocess.run(args, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return None
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def differing(mine: dict[str, float], theirs: dict[str, float]) -> int:
    return sum(
        1
        for fid, v in theirs.items()
        if fid in mine and abs(v - mine[fid]) > 1e-9 * max(1.0, abs(mine[fid]))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--lib-python", default=sys.executable)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(ours(Path(args.one[1]), full=args.one[0] == "full")))
        return
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure")
        return
    files = sorted(args.corpus.glob("*.htm*")) + sorted(args.corpus.glob("*/*.htm"))
    rows = []
    print(
        f"{'file':30} {'candidate':11} {'s':>6} {'RSS MB':>7} {'facts':>6} {'valued':>6} {'differ':>6}"
    )
    for path in files:
        me = [sys.executable, "-m", "bench.html.compare", "--one"]
        results = {
            "lxml-facts": run([*me, "facts", str(path)]),
            "lxml-full": run([*me, "full", str(path)]),
            "ixbrlparse": run([args.lib_python, "-c", _IXBRLPARSE, str(path)]),
            "arelle": run([args.lib_python, "-c", _ARELLE, str(path)]),
        }
        mine = results["lxml-facts"]["values"] if results["lxml-facts"] else {}  # type: ignore[index]
        for name, r in results.items():
            if r is None:
                print(f"{path.name[:30]:30} {name:11} missing or failed")
                rows.append({"file": path.name, "candidate": name, "missing": True})
                continue
            values = r["values"]
            row = {
                "file": path.name,
                "candidate": name,
                "seconds": round(r["seconds"], 2),  # type: ignore[call-overload]
                "peak_rss_mb": round(r["rss"] / 1024),  # type: ignore[operator]
                "facts": r["facts"],
                "valued": len(values),  # type: ignore[arg-type]
                "differ": differing(mine, values),  # type: ignore[arg-type]
            }
            rows.append(row)
            print(
                f"{path.name[:30]:30} {name:11} {row['seconds']:6.2f} {row['peak_rss_mb']:7} "
                f"{row['facts']:6} {row['valued']:6} {row['differ']:6}"
            )
    print(json.dumps({"runs": rows}))


if __name__ == "__main__":
    main()
