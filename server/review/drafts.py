"""A next draft against the earlier one: classed once its agents have finished, decisions carried.

When an audit is started with `previous`, `watch` follows its event log to `audit_finished`
and then `compare` appends one `drafts_compared` to its review log: each current finding `new`
or `persisting` (with the earlier finding's id) and the earlier findings now `resolved`. Then
each persisting finding gets its earlier finding's latest decision as a `decision_recorded`
with `carried_from`, unless that decision was `open`, the finding was already decided in this
draft, or this draft was already signed off (sign-off closes decisions).

Only agents that completed in both audits are compared (listed in the event's `agents`): an
agent that failed in one of them says nothing about what was resolved. A draft that failed or
was cancelled gets no comparison. The matching itself is the matcher's (see `comparison`); it
runs where agent work runs (a worker process in the server).

Durability: the comparison is written after `audit_finished`, so a process that stops in
between leaves a finished draft without one; `resume` (at start-up) compares those drafts.
Appending checks first that no comparison exists, so `watch` and `resume` never write two.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from generated.models import CarriedFrom, Decision, DismissalReason, DraftsCompared
from server.log import FollowerClosed, FollowerGone, FollowerTooSlow
from server.review import frames
from server.review.comparison import Matcher, match_drafts, run_matcher
from server.review.desk import SIGNABLE_STATES, ReviewDesk
from server.storage import AuditDatabase, DocumentDatabase
from server.workers import offload

logger = logging.getLogger(__name__)


class DraftComparer:
    def __init__(
        self,
        desk: ReviewDesk,
        audits: AuditDatabase,
        documents: DocumentDatabase,
        matcher: Matcher = match_drafts,
    ) -> None:
        self.desk = desk
        self.audits = audits
        self.documents = documents
        self.matcher = matcher
        self._tasks: set[asyncio.Task[None]] = set()

    # -- scheduling ------------------------------------------------------------------------

    def watch(self, audit_id: str, previous_id: str) -> None:
        """Compare `audit_id` with `previous_id` once its agents have finished."""
        self._own(self._watch(audit_id, previous_id), f"draft-{audit_id}")

    def resume(self) -> int:
        """Start-up: compare finished drafts that have no comparison yet; returns how many."""
        pending = self.audits.finished_drafts_without_comparison()
        for audit_id, previous_id in pending:
            self._own(self._compare_logged(audit_id, previous_id), f"draft-{audit_id}")
        return len(pending)

    async def shutdown(self) -> None:
        """Stop waiting; a draft not compared yet is compared by `resume` after the restart."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def idle(self) -> None:
        """Returns when no comparison is waiting or running (for tests and the CLI)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _own(self, coro: Any, name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self, audit_id: str, previous_id: str) -> None:
        log = self.desk.audit_log
        cursor = 0
        while True:
            try:
                with log.follow(audit_id, cursor) as follower:
                    try:
                        async for _wire in follower:
                            pass
                    finally:
                        cursor = follower.last_sent
                break
            except FollowerTooSlow:
                continue  # resume from the cursor: nothing is lost
            except (FollowerClosed, FollowerGone):
                return  # shutting down (resume compares it later) or deleted
        await self._compare_logged(audit_id, previous_id)

    async def _compare_logged(self, audit_id: str, previous_id: str) -> None:
        try:
            await self.compare(audit_id, previous_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("comparing draft %s with %s failed", audit_id, previous_id)

    # -- comparing -------------------------------------------------------------------------

    async def compare(self, audit_id: str, previous_id: str) -> DraftsCompared | None:
        """Append the comparison and the carried decisions; None when there is nothing to do."""
        desk = self.desk
        current = desk.audit_snapshot(audit_id)
        if current["state"] not in SIGNABLE_STATES:
            logger.info("draft %s ended %s: not compared", audit_id, current["state"])
            return None
        if not desk.audit_log.exists(previous_id):
            logger.warning(
                "draft %s: earlier audit %s is gone; not compared", audit_id, previous_id
            )
            return None
        previous = desk.audit_snapshot(previous_id)
        agents = [a for a in _completed(current) if a in _completed(previous)]
        now = _findings(current, agents)
        before = _findings(previous, agents)
        documents = await asyncio.gather(
            asyncio.to_thread(self.documents.load_parsed, previous_id),
            asyncio.to_thread(self.documents.load_parsed, audit_id),
        )
        pairs = await offload(run_matcher, self.matcher, before, now, *documents)
        # From here to the end no await: the check and the appends see one state.
        if not desk.audit_log.exists(audit_id) or "drafts" in desk.state(audit_id):
            return None
        kept = set(pairs.values())
        event = frames.drafts_compared(
            desk.review_log,
            audit_id,
            previous_id,
            agents,
            now,
            pairs,
            [f for f in before if f["id"] not in kept],
        )
        desk.review_log.append(event)
        self._carry(audit_id, previous_id, now, pairs)
        return event

    def _carry(
        self, audit_id: str, previous_id: str, now: list[dict[str, Any]], pairs: dict[str, str]
    ) -> None:
        desk = self.desk
        review = desk.state(audit_id)
        if "sign_off" in review:
            return
        decided = {f["finding_id"] for f in review["findings"] if f["history"]}
        latest = {
            f["finding_id"]: f["history"][-1]
            for f in desk.state(previous_id)["findings"]
            if f["history"]
        }
        for finding in now:
            earlier_id = pairs.get(finding["id"])
            entry = latest.get(earlier_id) if earlier_id else None
            if entry is None or entry["decision"] == Decision.open.value:
                continue
            if finding["id"] in decided:
                continue
            desk.review_log.append(
                frames.decision_recorded(
                    desk.review_log,
                    audit_id,
                    finding["id"],
                    Decision(entry["decision"]),
                    entry["reviewer"],
                    reason=DismissalReason(entry["reason"]) if "reason" in entry else None,
                    note=entry.get("note"),
                    carried_from=CarriedFrom(audit_id=previous_id, finding_id=str(earlier_id)),
                )
            )


def _completed(snapshot: dict[str, Any]) -> list[str]:
    return [a["agent"] for a in snapshot["agents"] if a["state"] == "completed"]


def _findings(snapshot: dict[str, Any], agents: list[str]) -> list[dict[str, Any]]:
    return [
        finding
        for entry in snapshot["agents"]
        if entry["agent"] in agents
        for finding in entry.get("result", {}).get("findings", [])
    ]
