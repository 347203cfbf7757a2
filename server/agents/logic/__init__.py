"""The logic agent: is the document consistent with itself? See `agent`."""

from server.agents.logic.agent import run

__all__ = ["run"]
