"""Score the matcher on a draft pair against the oracle and the planted ground truth.

Every finding of both drafts is one class to get right:
- a current finding: `persisting` from its expected partner (the right earlier id), or `new`;
- a previous finding: `resolved`, or not (it persists into some current finding).
"Unchanged but new" counts current findings the oracle pairs with an earlier one and the matcher
calls new (the goal: none). "Wrongly persisting" counts matches the oracle does not make (an
earlier decision carried to another finding).

Planted errors: in the `corrected` pair a planted error is detected when some finding of the
earlier draft points at it (bench.quality.run.catches: its table cell, its sentence, or for
removals its keyword) and has no counterpart in the later draft, and it is resolved when the
matcher classes every such finding `resolved` (the same in the `reworked` pair, which also
moves everything around). In the `introduced` pair (clean draft, then the
planted one) every such finding of the later draft must be `new`. In the other pairs no planted
error changes and their findings must all persist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.drafts.oracle import expect
from bench.drafts.pairs import Pair
from bench.quality.run import catches, resolve
from server.review.matching import Classified, DraftComparison, DraftStatus, MatchBasis, match


@dataclass
class Score:
    set_name: str
    kind: str
    before: int
    after: int
    got: dict[str, int]
    expected: dict[str, int]
    correct: int = 0
    incorrect: int = 0
    unchanged_new: int = 0
    wrongly_persisting: int = 0
    wrong_partner: int = 0
    exact: int = 0
    planted_detected: int = 0
    planted_classed: int = 0  # of those detected: all resolved (corrected) or all new (introduced)
    ambiguous_places: int = 0
    unexplained: int = (
        0  # expected resolved (corrected) or new (introduced), yet about no planted error
    )
    by_id_correct: int = 0  # classes correct with identity by finding id alone (the baseline)
    mistakes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["mistakes"] = list(self.mistakes)
        return out


def by_id(previous: list[dict[str, Any]], current: list[dict[str, Any]]) -> DraftComparison:
    """The baseline: identity by finding id alone, as today's location-hashed ids give it."""
    before = {f["id"] for f in previous}
    after = {f["id"] for f in current}
    return DraftComparison(
        current=tuple(
            Classified(f["id"], DraftStatus.PERSISTING, f["id"], MatchBasis.EXACT)
            if f["id"] in before
            else Classified(f["id"], DraftStatus.NEW)
            for f in current
        ),
        resolved=tuple(f["id"] for f in previous if f["id"] not in after),
    )


def _grade(s: Score, comparison: DraftComparison, partners: dict[str, str], pair: Pair) -> None:
    """Count every class of both drafts right or wrong against the oracle's partners."""
    prev, cur = pair.previous, pair.current
    expected_prev_of = {new: old for old, new in partners.items()}
    titles = {f["id"]: f["title"] for f in [*prev.findings, *cur.findings]}
    resolved = set(comparison.resolved)
    for c in comparison.current:
        want = expected_prev_of.get(c.finding_id)
        if c.previous_id == want:
            s.correct += 1
            continue
        s.incorrect += 1
        if c.status is DraftStatus.NEW:
            s.unchanged_new += 1
            s.mistakes.append(f"new, expected from {want}: {titles[c.finding_id]}")
        elif want is None:
            s.wrongly_persisting += 1
            s.mistakes.append(
                f"persisting from {titles[c.previous_id or '']!r}, expected new: "
                f"{titles[c.finding_id]}"
            )
        else:
            s.wrong_partner += 1
            s.mistakes.append(f"persisting from the wrong finding: {titles[c.finding_id]}")
    for f in prev.findings:
        should_resolve = f["id"] not in partners
        if (f["id"] in resolved) == should_resolve:
            s.correct += 1
        else:
            s.incorrect += 1
            word = "not resolved" if should_resolve else "resolved, expected persisting"
            s.mistakes.append(f"{word}: {f['title']}")


def _planted_resolved(
    s: Score, comparison: DraftComparison, partners: dict[str, str], pair: Pair
) -> None:
    """Corrected pair: every finding about a planted error (and gone) must be resolved."""
    prev = pair.previous
    resolved = set(comparison.resolved)
    explained: set[str] = set()
    for case in pair.planted:
        targets = resolve(case, prev.document)
        about = [f for f in prev.findings if f["id"] not in partners and catches(f, targets)[0]]
        explained.update(f["id"] for f in about)
        if about:
            s.planted_detected += 1
            s.planted_classed += all(f["id"] in resolved for f in about)
    s.unexplained = sum(f["id"] not in partners and f["id"] not in explained for f in prev.findings)


def _planted_new(
    s: Score, comparison: DraftComparison, partners: dict[str, str], pair: Pair
) -> None:
    """Introduced pair: every finding about a planted error (and not there before) must be new."""
    cur = pair.current
    carried = set(comparison.persisting)
    kept = set(partners.values())
    explained: set[str] = set()
    for case in pair.planted:
        targets = resolve(case, cur.document)
        about = [f for f in cur.findings if f["id"] not in kept and catches(f, targets)[0]]
        explained.update(f["id"] for f in about)
        if about:
            s.planted_detected += 1
            s.planted_classed += not any(f["id"] in carried for f in about)
    s.unexplained = sum(f["id"] not in kept and f["id"] not in explained for f in cur.findings)


def score(pair: Pair) -> tuple[Score, DraftComparison]:
    prev, cur = pair.previous, pair.current
    comparison = match(prev.findings, prev.document, cur.findings, cur.document)
    oracle = expect(prev.findings, prev.document, cur.findings, cur.document)
    counts = comparison.counts()
    s = Score(
        set_name=pair.set_name,
        kind=pair.kind,
        before=len(prev.findings),
        after=len(cur.findings),
        got={k: counts[k] for k in ("new", "persisting", "resolved")},
        expected={
            "new": len(cur.findings) - len(oracle.partners),
            "persisting": len(oracle.partners),
            "resolved": len(prev.findings) - len(oracle.partners),
        },
        exact=counts["exact"],
        ambiguous_places=oracle.ambiguous,
    )
    _grade(s, comparison, oracle.partners, pair)
    baseline = Score(pair.set_name, pair.kind, s.before, s.after, {}, {})
    _grade(baseline, by_id(prev.findings, cur.findings), oracle.partners, pair)
    s.by_id_correct = baseline.correct
    if pair.kind in ("corrected", "reworked"):
        _planted_resolved(s, comparison, oracle.partners, pair)
    elif pair.kind == "introduced":
        _planted_new(s, comparison, oracle.partners, pair)
    return s, comparison


__all__ = ["Score", "by_id", "score"]
