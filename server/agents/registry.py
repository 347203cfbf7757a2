"""The one place agents are registered: name -> async callable, in display order.

Adding an agent means adding it here (and its name to the AgentName enum of schema/v1).
"""

from __future__ import annotations

from server.agents.base import Agent


def warm_up() -> None:
    """Load every agent's reference data once, before any audit runs.

    Parsing a large table in C (pycountry's JSON, the ECB history, the disclosure checklist)
    holds the GIL for its whole length; done lazily inside the first audit, it stalled the
    event loop for over 100 ms while frames were waiting. Run this in a thread at start-up.
    """
    from server.agents import disclosure, external, logic, numeric  # noqa: F401  (imports too)

    disclosure.warm_up()
    external.warm_up()


def default_agents() -> dict[str, Agent]:
    """The four agents of Crosscheck, imported here so nothing else names them."""
    from server.agents import disclosure, external, logic, numeric

    return {
        "numeric": numeric.run,
        "logic": logic.run,
        "disclosure": disclosure.run,
        "external": external.run,
    }
