"""Agents whose timing the browser tests control.

Each agent reports progress, then waits on its `Gate` and returns the golden result of its kind
(tests/fixtures/results/<agent>/valid-with-findings.json). The numeric result is re-pointed at a
real total row of the audited document, so the page can show that cell highlighted in the
table the server parsed. A gate opened with `fail=` makes its agent raise instead.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generated.models import DisclosureResult, ExternalResult, LogicResult, NumericResult
from server.agents.base import Agent, AgentResultModel, AuditInputs, Progress
from server.errors import SourceUnavailable
from server.ingest.document import ColumnRole, Document, RowKind, Table

RESULTS = Path(__file__).resolve().parent.parent / "fixtures" / "results"
AGENT_NAMES = ("numeric", "logic", "disclosure", "external")
MODELS: dict[str, type[AgentResultModel]] = {
    "numeric": NumericResult,
    "logic": LogicResult,
    "disclosure": DisclosureResult,
    "external": ExternalResult,
}


class Gate:
    """Opened from the test thread, awaited on the server's event loop."""

    def __init__(self) -> None:
        self._opened = threading.Event()
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self.fail: str | None = None

    def open(self, fail: str | None = None) -> None:
        with self._lock:
            self.fail = fail
            self._opened.set()
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def wait(self) -> None:
        event = asyncio.Event()
        with self._lock:
            if self._opened.is_set():
                return
            self._waiters.append((asyncio.get_running_loop(), event))
        await event.wait()


def total_cell(document: Document) -> tuple[Table, int, int, list[int]]:
    """The first statement total with known components: (table, row, amount column, components)."""
    for table in document.tables:
        amounts = [c.index for c in table.columns if c.role is ColumnRole.AMOUNT]
        for row in table.rows:
            if row.kind is RowKind.TOTAL and row.components and amounts:
                return table, row.index, amounts[0], [index for index, _ in row.components]
    raise LookupError(f"{document.name} has no total row with components")


def golden(agent: str, inputs: AuditInputs) -> AgentResultModel:
    data: dict[str, Any] = json.loads((RESULTS / agent / "valid-with-findings.json").read_text())
    if agent == "numeric":
        table, row, column, components = total_cell(inputs.document)
        label = next(r.label for r in table.rows if r.index == row)
        finding = data["findings"][0]
        finding["title"] = f"{label} does not add up"
        finding["locations"] = [
            {
                "table": table.id,
                "table_title": table.title or table.id,
                "cells": [{"row": row, "column": column}]
                + [{"row": r, "column": column} for r in components],
            }
        ]
    return MODELS[agent].model_validate(data)


def gated_agent(name: str, gate: Gate) -> Agent:
    async def run(inputs: AuditInputs, progress: Progress | None = None) -> AgentResultModel:
        if progress is not None:
            progress(1, 4, f"{name}: step 1 of 4")
        await gate.wait()
        if gate.fail is not None:
            raise SourceUnavailable(gate.fail)
        return golden(name, inputs)

    return run


def gated_agents(gates: Mapping[str, Gate]) -> dict[str, Agent]:
    return {name: gated_agent(name, gates[name]) for name in AGENT_NAMES}
