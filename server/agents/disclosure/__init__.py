"""The disclosure agent: is every disclosure the framework requires present? See `agent`."""

from server.agents.disclosure.agent import run, warm_up

__all__ = ["run", "warm_up"]
