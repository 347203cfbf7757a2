"""The one place agents are registered: name -> async callable, in display order.

Adding an agent means adding it here (and its name to the AgentName enum of schema/v1).
"""

from __future__ import annotations

from server.agents.base import Agent


def default_agents() -> dict[str, Agent]:
    """The four agents of Crosscheck, imported here so nothing else names them."""
    from server.agents import disclosure, external, logic, numeric

    return {
        "numeric": numeric.run,
        "logic": logic.run,
        "disclosure": disclosure.run,
        "external": external.run,
    }
