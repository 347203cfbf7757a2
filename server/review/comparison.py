"""The seam between the review and the finding matcher: which of a draft's findings persist.

A matcher is a pure function (it runs in a worker process, so it must be a module-level,
picklable function):

    matcher(previous, current, previous_document, current_document) -> {current id: previous id}

`previous` and `current` are the findings of the compared agents as on the wire
(results.schema.json); the documents are the parsed reports as `GET .../document` serves them
(document.schema.json ParsedDocument), or None when one was never parsed. The result pairs each
persisting current finding with the earlier finding it continues; every other current finding
is new and every unpaired earlier finding is resolved. Pairs are one-to-one, within one agent,
and checked (`check_pairs`) before anything is written.

`match_drafts` is the default: server/review/matching.py, which matches findings on what they
are about (see its docstring). A document that is missing is matched as an empty one, so its
findings keep their raw references as subjects and match only the same references.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from server.review import matching

Finding = Mapping[str, Any]
Matcher = Callable[
    [Sequence[Finding], Sequence[Finding], Mapping[str, Any] | None, Mapping[str, Any] | None],
    Mapping[str, str],
]


class BadMatch(ValueError):
    """A matcher returned pairs that are not one-to-one pairs of existing findings."""


def match_drafts(
    previous: Sequence[Finding],
    current: Sequence[Finding],
    previous_document: Mapping[str, Any] | None,
    current_document: Mapping[str, Any] | None,
) -> dict[str, str]:
    comparison = matching.match(previous, previous_document or {}, current, current_document or {})
    return dict(comparison.persisting)


def run_matcher(
    matcher: Matcher,
    previous: list[dict[str, Any]],
    current: list[dict[str, Any]],
    previous_document: str | None,
    current_document: str | None,
) -> dict[str, str]:
    """Parse the documents where the matcher runs (a worker), match, and check the pairs."""
    pairs = dict(
        matcher(
            previous,
            current,
            json.loads(previous_document) if previous_document else None,
            json.loads(current_document) if current_document else None,
        )
    )
    check_pairs(previous, current, pairs)
    return pairs


def check_pairs(
    previous: Sequence[Finding], current: Sequence[Finding], pairs: Mapping[str, str]
) -> None:
    agent_before = {f["id"]: f["agent"] for f in previous}
    agent_now = {f["id"]: f["agent"] for f in current}
    for now_id, before_id in pairs.items():
        if now_id not in agent_now or before_id not in agent_before:
            raise BadMatch(f"matcher paired unknown findings {now_id!r} -> {before_id!r}")
        if agent_now[now_id] != agent_before[before_id]:
            raise BadMatch(f"matcher paired findings of two agents: {now_id!r} -> {before_id!r}")
    repeated = [i for i, n in Counter(pairs.values()).items() if n > 1]
    if repeated:
        raise BadMatch(f"matcher paired earlier findings more than once: {repeated[:3]}")
