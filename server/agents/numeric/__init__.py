"""The numeric agent: do the figures add up, and do they agree with each other? See `agent`."""

from server.agents.numeric.agent import run

__all__ = ["run"]
