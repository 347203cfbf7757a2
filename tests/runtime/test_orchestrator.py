"""The orchestrator alone, reporting to an in-memory sink: no server, no storage."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from server.agents.base import AuditInputs
from server.audits.orchestrator import Orchestrator
from server.errors import InvalidDocument, TooManyAudits
from server.events import FrameModel
from server.ingest.reader import read_document
from tests.support.frames import assert_valid_frame
from tests.support.harness import STATEMENT_MD, Gate, ScriptedAgent, agents
from tests.support.results import result_for


class ListSink:
    """Collects frames, each validated as it is emitted."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    async def emit(self, event: FrameModel) -> None:
        frame = event.model_dump(mode="json")
        assert_valid_frame(frame)
        self.frames.append(frame)

    def types(self) -> list[str]:
        return [f["type"] for f in self.frames if "seq" in f]


async def _inputs() -> AuditInputs:
    return AuditInputs(document=await asyncio.to_thread(read_document, STATEMENT_MD, "s.md"))


def _orchestrator(team: dict[str, Any], sink: ListSink, **options: Any) -> Orchestrator:
    settings = {"agent_timeout_s": 5.0, "progress_per_s": 0.0, "max_running": 2, **options}
    return Orchestrator(team, sink, **settings)


async def test_wrong_result_type_is_a_crash():
    async def confused(inputs: AuditInputs, progress: Any = None) -> Any:
        return result_for("logic")

    sink = ListSink()
    finished = await _orchestrator(agents(numeric=confused), sink).run("audit-1", _inputs)
    failed = [f for f in sink.frames if f["type"] == "agent_failed"]
    assert [(f["agent"], f["error"]["code"]) for f in failed] == [("numeric", "crashed")]
    assert finished.status.value == "completed_with_errors"


async def test_unreadable_inputs_fail_the_audit_with_one_terminal_event():
    async def broken() -> AuditInputs:
        raise InvalidDocument("'x.docx' is a damaged Word file.")

    sink = ListSink()
    await _orchestrator(agents(), sink).run("audit-1", broken)
    assert sink.types() == ["audit_finished"]
    assert sink.frames[0]["error"]["code"] == "invalid_document"
    assert sink.frames[0]["error"]["message"] == "'x.docx' is a damaged Word file."


async def test_cancel_while_loading_starts_no_agent():
    gate = Gate()

    async def slow_load() -> AuditInputs:
        await gate.wait()
        return await _inputs()

    sink = ListSink()
    team = agents()
    orchestrator = _orchestrator(team, sink)
    running = asyncio.create_task(orchestrator.run("audit-1", slow_load))
    await asyncio.sleep(0.01)
    assert await orchestrator.cancel("audit-1") is True
    assert await orchestrator.cancel("audit-1") is False  # already finished: harmless
    finished = await running
    assert finished.status.value == "cancelled" and sink.types() == ["audit_finished"]
    assert all(agent.calls == 0 for agent in team.values())


async def test_loop_going_away_still_ends_with_audit_finished():
    sink = ListSink()
    orchestrator = _orchestrator(agents(logic=ScriptedAgent("logic", behaviour="hang")), sink)
    running = asyncio.create_task(orchestrator.run("audit-1", _inputs))
    await asyncio.sleep(0.05)
    running.cancel()  # not orchestrator.cancel(): the task itself is torn down
    with pytest.raises(asyncio.CancelledError):
        await running
    assert sink.types()[-1] == "audit_finished"
    assert sink.frames[-1]["status"] == "failed"
    assert sink.frames[-1]["error"]["code"] == "interrupted"
    assert [f["error"]["code"] for f in sink.frames if f["type"] == "agent_failed"] == [
        "interrupted"
    ]


async def test_progress_done_never_goes_back():
    async def wobbly(inputs: AuditInputs, progress: Any = None) -> Any:
        for done in (1, 3, 2, 5, 4, 6):
            progress(done, 6, None)
            await asyncio.sleep(0.005)
        return result_for("numeric")

    sink = ListSink()
    await _orchestrator(agents(numeric=wobbly), sink).run("audit-1", _inputs)
    done = [f["done"] for f in sink.frames if f["type"] == "agent_progress"]
    assert done == [1, 3, 5, 6]


async def test_reservations_bound_running_audits():
    sink = ListSink()
    orchestrator = _orchestrator(agents(), sink, max_running=1)
    held = orchestrator.reserve()
    with pytest.raises(TooManyAudits):
        orchestrator.reserve()
    held.release()
    held.release()  # idempotent
    orchestrator.reserve().release()
