"""Agents that report the findings a test chooses, and clients of the review stream and REST.

Every review frame received goes through `assert_valid_review_frame` and every JSON body through
the schema (tests/runtime/harness.py `api`), so an invalid frame or body fails the test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from generated.models import Location, NumericFinding, NumericResult, NumericSummary, Severity
from server.agents.base import AgentResultModel, AuditInputs, Progress, finding_id
from tests.support.frames import assert_valid_review_frame
from tests.support.harness import Gate, ScriptedAgent, Stream, create_audit, wait_finished
from tests.support.results import AGENTS

Spec = tuple[str, str, str]  # (key, severity, title): the finding id is derived from the key


def fid(key: str) -> str:
    """The id of the numeric finding a Spec with this key reports."""
    return finding_id("numeric", "review-test", key)


def numeric_result(specs: list[Spec]) -> AgentResultModel:
    findings = [
        NumericFinding(
            id=fid(key),
            agent="numeric",
            severity=Severity(severity),
            title=title,
            description=f"{title}.",
            reference="footing",
            locations=[Location(section=key)],  # one subject per key, for the matcher
            check="footing",
            expected=15.0,
            actual=16.0,
            difference=1.0,
            period="2024",
            scale="units",
        )
        for key, severity, title in specs
    ]
    summary = NumericSummary(checks_run=len(specs), checks_failed=len(specs), by_check=[])
    return NumericResult(agent="numeric", summary=summary, findings=findings)


@dataclass
class RoundsAgent:
    """The numeric agent, reporting `rounds[i]` on its i-th audit (the last round thereafter)."""

    rounds: list[list[Spec]]
    gate: Gate | None = None
    calls: int = 0
    name: str = "numeric"
    gates: dict[int, Gate] = field(default_factory=dict)  # per call, overrides `gate`

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        call = self.calls
        self.calls += 1
        gate = self.gates.get(call, self.gate)
        if gate is not None:
            await gate.wait()
        return numeric_result(self.rounds[min(call, len(self.rounds) - 1)])


def team(numeric: RoundsAgent, **others: ScriptedAgent) -> dict[str, Any]:
    agents: dict[str, Any] = {name: ScriptedAgent(name) for name in AGENTS}
    agents["numeric"] = numeric
    agents.update(others)
    return agents


SPECS: list[Spec] = [
    ("assets", "high", "Total assets does not add up (2024)"),
    ("cash", "medium", "Cash does not agree with note 12 (2024)"),
    ("rounding", "low", "Revenue differs by one unit (2024)"),
    ("equity", "medium", "Equity roll-forward does not close (2024)"),
]


async def finished_audit(client: httpx.AsyncClient, **form: str) -> str:
    if form:
        response = await client.post(
            "/api/v1/audits",
            files={"document": ("statement.md", _statement())},
            data=form,
        )
        assert response.status_code == 202, response.text
        audit_id = str(response.json()["audit_id"])
    else:
        audit_id = await create_audit(client)
    await wait_finished(client, audit_id)
    return audit_id


def _statement() -> bytes:
    from tests.support.harness import STATEMENT_MD

    return STATEMENT_MD


async def decide(
    client: httpx.AsyncClient, audit_id: str, finding: str, decision: str, **fields: str
) -> httpx.Response:
    body = {"finding_id": finding, "decision": decision, "reviewer": "A. Mensah", **fields}
    return await client.post(f"/api/v1/audits/{audit_id}/decisions", json=body)


async def review(client: httpx.AsyncClient, audit_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/audits/{audit_id}/review")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def entry(state: dict[str, Any], finding: str) -> dict[str, Any]:
    return next(f for f in state["findings"] if f["finding_id"] == finding)


def review_frame(text: str | bytes) -> dict[str, Any]:
    assert isinstance(text, str), "frames are text"
    frame = json.loads(text)
    assert_valid_review_frame(frame)
    return frame  # type: ignore[no-any-return]


async def read_review(
    ws: ClientConnection, count: int | None = None, *, until_type: str | None = None
) -> Stream:
    """Review frames until `count` events (with seq) arrived, a frame of `until_type`, or close."""
    frames: list[dict[str, Any]] = []
    try:
        while True:
            frame = review_frame(await ws.recv())  # no deadline: pytest's timeout
            frames.append(frame)
            if count is not None and sum(1 for f in frames if "seq" in f) >= count:
                break
            if until_type is not None and frame["type"] == until_type:
                break
    except ConnectionClosed:
        pass
    rcvd = ws.protocol.close_rcvd
    return Stream(frames, rcvd.code if rcvd else None, rcvd.reason if rcvd else None)


async def sse_review(
    client: httpx.AsyncClient,
    audit_id: str,
    count: int,
    headers: dict[str, str] | None = None,
    after: int | None = None,
) -> tuple[list[dict[str, Any]], list[str | None]]:
    """The first `count` review events of the SSE review stream (validated), and their ids."""
    frames: list[dict[str, Any]] = []
    ids: list[str | None] = []
    path = f"/api/v1/audits/{audit_id}/review/events"
    if after is not None:
        path += f"?after={after}"
    async with client.stream("GET", path, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        event: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line == "":
                if "data" in event:
                    frame = review_frame(event["data"])
                    assert frame["type"] == event.get("event")
                    frames.append(frame)
                    ids.append(event.get("id"))
                    if len(frames) >= count:
                        break
                event = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(": ")
                event[key] = value
    return frames, ids


NEW = fid("receivables")
# The next draft: total assets was corrected (resolved), a new finding appeared, the rest stayed.
DRAFT_2 = [
    ("receivables", "high", "Trade receivables do not agree with note 15 (2024)"),
    *SPECS[1:],
]
