"""The one place agents are registered: name -> async callable, in display order.

Adding an agent means adding it here (and its name to the AgentName enum of schema/v1).

Each agent's package is imported the first time it runs, not when the registry is read:
`crosscheck audit` is a one-shot process, and whatever it imports before the audit starts is
time the user waits for and the audit does not report (about 0.2 s for the four agents). The
server imports them all at start-up (`warm_up`), so its audits never wait for an import.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from types import ModuleType

from server.agents.base import Agent, AgentResultModel, AuditInputs, Progress

AGENT_PACKAGES: dict[str, str] = {
    "numeric": "server.agents.numeric",
    "logic": "server.agents.logic",
    "disclosure": "server.agents.disclosure",
    "external": "server.agents.external",
}

# One import at a time: four agents starting together would otherwise import the modules they
# share from four threads, and Python resolves a concurrent circular import by handing one
# thread a half-initialised module.
_importing = threading.Lock()


def load(name: str) -> ModuleType:
    """The agent's package, imported on first use (blocking: call it in a thread)."""
    with _importing:
        return importlib.import_module(AGENT_PACKAGES[name])


class RegisteredAgent:
    """An `Agent` that imports its package in a thread the first time it runs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._run: Agent | None = None

    async def __call__(
        self, inputs: AuditInputs, progress: Progress | None = None
    ) -> AgentResultModel:
        if self._run is None:
            # In a thread: an import holds the event loop for as long as it takes.
            module = await asyncio.to_thread(load, self.name)
            self._run = module.run
        return await self._run(inputs, progress)

    def __repr__(self) -> str:
        return f"RegisteredAgent({self.name!r})"


def warm_up() -> None:
    """Import every agent and load its reference data once, before any audit runs (blocking).

    Parsing a large table in C (pycountry's JSON, the ECB history, the disclosure checklist)
    holds the GIL for its whole length; done lazily inside the first audit, it stalled the
    event loop for over 100 ms while frames were waiting. Run this in a thread at start-up.
    """
    for name in AGENT_PACKAGES:
        warm = getattr(load(name), "warm_up", None)
        if warm is not None:
            warm()


def default_agents() -> dict[str, Agent]:
    """The four agents of Crosscheck, by name, in display order (nothing else names them)."""
    return {name: RegisteredAgent(name) for name in AGENT_PACKAGES}
