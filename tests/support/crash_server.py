"""A server process for the crash test: `python -m tests.support.crash_server DATA_DIR PORT`.

Its agents finish at once, except that on a document whose name contains "hang" every agent
but `numeric` waits forever; the test then kills the process (SIGKILL) mid-audit.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from server.agents.base import AgentResultModel, AuditInputs, Progress
from server.serve import build_server
from server.settings import Settings
from tests.support.results import AGENTS, result_for


def _agent(name: str):  # type: ignore[no-untyped-def]
    async def run(inputs: AuditInputs, progress: Progress | None = None) -> AgentResultModel:
        if name != "numeric" and "hang" in inputs.document.name:
            await asyncio.Event().wait()
        return result_for(name, findings=1 if name == "numeric" else 0)

    return run


def main() -> None:
    data_dir, port = Path(sys.argv[1]), int(sys.argv[2])
    settings = Settings(data_dir=data_dir, port=port, heartbeat_s=0.2, agent_workers=0)
    build_server(settings, {name: _agent(name) for name in AGENTS}, log_level="warning").run()


if __name__ == "__main__":
    main()
