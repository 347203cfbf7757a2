"""One report, measured in a process of its own: read it, then run the agents on it.

Runs in a fresh spawned process per report (see run.py), so the peak resident memory taken right
after reading (`ru_maxrss` of this process) is the reader's own plus the interpreter, never
another report's. The interpreter's own footprint before reading is recorded beside it as
`base_mb`. The agents run afterwards, one at a time so each one's time is its own, through the
product's entry points: `read_document(data, filename)` and `default_agents()`.

Everything returned is plain JSON data: the parent prints and totals it.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench.real.cache import CachedRead, DocumentCache
from server.agents.base import Agent, AgentResultModel, AuditInputs

STATUS_OK = "ok"
STATUS_UNSUPPORTED = "unsupported"
STATUS_INVALID = "invalid"
STATUS_ERROR = "error"


def peak_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports kB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(
    path: str, fmt: str, cache_dir: str | None = None, run_agents: bool = True
) -> dict[str, Any]:
    """The figures of one report; never raises (a failure is a status with a message)."""
    from server.errors import InvalidDocument, UnsupportedDocument
    from server.ingest.reader import read_document

    file = Path(path)
    out: dict[str, Any] = {"report": file.name, "format": fmt, "status": STATUS_OK}
    data = file.read_bytes()
    cache = DocumentCache(Path(cache_dir)) if cache_dir else None
    entry = cache.load(data) if cache else None
    out["cached"] = entry is not None
    if entry is None:
        base = peak_mb()
        started = time.perf_counter()
        try:
            document = read_document(data, file.name)
        except UnsupportedDocument as exc:
            return out | {"status": STATUS_UNSUPPORTED, "message": str(exc)}
        except InvalidDocument as exc:
            return out | {"status": STATUS_INVALID, "message": str(exc)}
        except Exception as exc:  # a reader crash is a figure of the benchmark, not its end
            return out | {"status": STATUS_ERROR, "message": _last_line(exc)}
        entry = CachedRead(document, time.perf_counter() - started, peak_mb(), base)
        if cache:
            cache.store(data, entry)
    out |= {
        "read_s": round(entry.read_s, 2),
        "read_peak_mb": round(entry.read_peak_mb, 1),
        "base_mb": round(entry.base_mb, 1),
    }
    out |= describe(entry.document)
    if run_agents:
        out |= audit(entry.document)
    return out


def call_agent(agent: Agent, inputs: AuditInputs) -> AgentResultModel:
    """One agent, the way the orchestrator calls it: `await agent(inputs, progress)`."""

    async def once() -> AgentResultModel:
        return await agent(inputs, None)

    return asyncio.run(once())


def describe(document: Any) -> dict[str, Any]:
    """Reading figures: pages, tables, which primary statements were recognised."""
    from server.ingest.document import StatementKind

    tables = document.tables
    by_kind = {k.value: sum(1 for t in tables if t.statement is k) for k in StatementKind}
    return {
        "pages": document.pages or 0,
        "tables": len(tables),
        "statement_tables": by_kind,
        "statements": [kind for kind, count in by_kind.items() if count],
    }


def audit(document: Any) -> dict[str, Any]:
    """Every agent of the product, one after the other; a crashed agent is recorded, not fatal."""
    from server.agents.registry import default_agents

    agents_out: dict[str, Any] = {}
    findings: list[dict[str, Any]] = []
    tables = {t.id: t for t in document.tables}
    for name, agent in default_agents().items():
        started = time.perf_counter()
        try:
            result = call_agent(agent, AuditInputs(document=document))
        except Exception as exc:
            agents_out[name] = {
                "error": _last_line(exc),
                "seconds": round(time.perf_counter() - started, 2),
            }
            continue
        dumped: dict[str, Any] = result.model_dump(mode="json")
        agents_out[name] = {
            "seconds": round(time.perf_counter() - started, 2),
            "summary": dumped.get("summary", {}),
        }
        for finding in dumped.get("findings", []):
            findings.append(_finding(name, finding, tables))
    return {"agents": agents_out, "findings": findings}


def _finding(agent: str, finding: dict[str, Any], tables: dict[str, Any]) -> dict[str, Any]:
    """The finding as the agent gave it, plus where it points in words (for triage)."""
    where: list[dict[str, Any]] = []
    for loc in finding.get("locations", []):
        table = tables.get(loc.get("table", ""))
        if table is None:
            where.append({k: v for k, v in loc.items() if k in ("paragraph", "quote", "section")})
            continue
        cells = []
        for ref in loc.get("cells", []):
            row = table.rows[ref["row"]] if ref["row"] < len(table.rows) else None
            if row is None:
                continue
            column = ref["column"]
            text = row.cells[column].text if column < len(row.cells) else ""
            header = table.columns[column].header if column < len(table.columns) else ""
            cells.append({"row": ref["row"], "label": row.label, "header": header, "text": text})
        where.append(
            {
                "table": table.id,
                "title": table.title,
                "statement": table.statement.value if table.statement else None,
                "cells": cells,
            }
        )
    return {
        "agent": agent,
        "id": finding.get("id"),
        "severity": finding.get("severity"),
        "check": finding.get("check"),
        "title": finding.get("title"),
        "description": finding.get("description"),
        "expected": finding.get("expected"),
        "actual": finding.get("actual"),
        "where": where,
    }


def _last_line(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return (lines[-1] if lines else repr(exc)).strip()[:500]
