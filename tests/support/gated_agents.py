"""Agents whose timing the browser and CLI tests control.

Each agent waits on its gate (tests/runtime/harness.py `Gate`, opened from the test thread),
reporting progress every `PROGRESS_EVERY_S` meanwhile as a working agent does (progress is not
replayed: a page that connects after the first report must still see one), then returns the
golden result of its kind
(tests/fixtures/results/<agent>/valid-with-findings.json), or raises `SourceUnavailable` when
told to fail. The numeric finding is re-pointed at a real total row of the audited document, so
the page can show that cell highlighted in the table the server parsed.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from generated.models import DisclosureResult, ExternalResult, LogicResult, NumericResult
from server.agents.base import Agent, AgentResultModel, AuditInputs, Progress
from server.errors import SourceUnavailable
from server.ingest.document import ColumnRole, Document, RowKind, Table
from tests.support.harness import Gate
from tests.support.paths import FIXTURES

RESULTS = FIXTURES / "results"
AGENT_NAMES = ("numeric", "logic", "disclosure", "external")
PROGRESS_EVERY_S = 0.5
MODELS: dict[str, type[AgentResultModel]] = {
    "numeric": NumericResult,
    "logic": LogicResult,
    "disclosure": DisclosureResult,
    "external": ExternalResult,
}


def total_cell(document: Document) -> tuple[Table, int, int, list[int]]:
    """The first total with known components: (table, row, amount column, component rows)."""
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


@dataclass
class GatedAgent:
    name: str
    gate: Gate = field(default_factory=Gate)
    fail_message: str | None = None

    async def __call__(self, inputs: AuditInputs, progress: Progress | None = None) -> Any:
        opened = asyncio.ensure_future(self.gate.wait())
        try:
            while True:
                if progress is not None:
                    progress(1, 4, f"step 1 of 4 ({self.name})")
                done, _ = await asyncio.wait({opened}, timeout=PROGRESS_EVERY_S)
                if done:
                    break
        finally:
            opened.cancel()
        if self.fail_message is not None:
            raise SourceUnavailable(self.fail_message)
        return golden(self.name, inputs)

    def complete(self) -> None:
        self.gate.open()

    def fail(self, message: str) -> None:
        self.fail_message = message
        self.gate.open()


def gated_team(*, open_all: bool = False) -> dict[str, GatedAgent]:
    team = {name: GatedAgent(name) for name in AGENT_NAMES}
    if open_all:
        for agent in team.values():
            agent.complete()
    return team


def as_agents(team: dict[str, GatedAgent]) -> dict[str, Agent]:
    return dict(team)
