"""Measure finding identity across drafts on pairs built from the bundled samples.

    .venv/bin/python -m bench.drafts                       # every set, every pair
    .venv/bin/python -m bench.drafts --sets insig-2024 --pairs corrected,renumbered
    .venv/bin/python -m bench.drafts --mistakes            # list every wrong class

Per pair: findings before/after, new/persisting/resolved as matched (and as expected by the
positional oracle, bench/drafts/oracle.py), classes correct and incorrect, unchanged findings
called new, matches the oracle does not make, for the corrected pair how many planted errors
were detected and how many of those are resolved (for the introduced pair: new), and how many classes identity by finding id
alone would get right (the baseline). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench.drafts.pairs import PAIRS, build_pairs, sample_set
from bench.drafts.score import Score, score
from bench.quality.inject import SETS


def _row(s: Score) -> str:
    g, e = s.got, s.expected
    planted = f"{s.planted_classed}/{s.planted_detected}" if s.planted_detected else "-"
    return (
        f"{s.set_name:18} {s.kind:11} {s.before:4} {s.after:4}   "
        f"{g['new']:3}/{e['new']:<3} {g['persisting']:3}/{e['persisting']:<3} "
        f"{g['resolved']:3}/{e['resolved']:<3} {s.exact:5} {s.correct:7} {s.incorrect:9} "
        f"{s.unchanged_new:13} {s.wrongly_persisting:10} {planted:>10} {s.by_id_correct:9}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--pairs", help=f"comma-separated pair kinds of {', '.join(PAIRS)}")
    parser.add_argument("--mistakes", action="store_true", help="print every wrong class")
    args = parser.parse_args(argv)
    sets = tuple(sample_set(n) for n in args.sets.split(",")) if args.sets else SETS
    kinds = tuple(args.pairs.split(",")) if args.pairs else PAIRS
    started = time.monotonic()
    pairs = build_pairs(sets, kinds, on_draft=lambda d: print(f"auditing {d}", file=sys.stderr))
    print(
        f"{'set':18} {'pair':11} {'bef':>4} {'aft':>4}   new/exp pers/exp res/exp exact "
        f"correct incorrect unchanged_new wrong_pers planted_ok by_id_ok"
    )
    scores = []
    for pair in pairs:
        s, _ = score(pair)
        scores.append(s)
        print(_row(s))
        if args.mistakes:
            for m in s.mistakes:
                print(f"    {m}")
    total = {
        "pairs": len(scores),
        "classes": sum(s.correct + s.incorrect for s in scores),
        "correct": sum(s.correct for s in scores),
        "incorrect": sum(s.incorrect for s in scores),
        "unchanged_new": sum(s.unchanged_new for s in scores),
        "wrongly_persisting": sum(s.wrongly_persisting for s in scores),
        "wrong_partner": sum(s.wrong_partner for s in scores),
        "planted_detected": sum(s.planted_detected for s in scores),
        "planted_classed": sum(s.planted_classed for s in scores),
        "by_id_correct": sum(s.by_id_correct for s in scores),
    }
    print(
        f"total: {total['correct']}/{total['classes']} classes correct; "
        f"{total['unchanged_new']} unchanged findings new, "
        f"{total['wrongly_persisting']} wrongly persisting, {total['wrong_partner']} wrong partner; "
        f"{total['planted_classed']}/{total['planted_detected']} planted errors classed right "
        f"(resolved when corrected, new when introduced); "
        f"by id alone {total['by_id_correct']}/{total['classes']} correct"
    )
    report = {
        **total,
        "seconds": round(time.monotonic() - started, 1),
        "by_pair": [s.as_json() for s in scores],
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0 if total["incorrect"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
