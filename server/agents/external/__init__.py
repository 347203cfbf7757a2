"""The external agent: do facts agree with sources outside the report? See `agent`; each source
lives in `sources/` behind one interface (`sources/base.py`)."""

from server.agents.external.agent import run, warm_up

__all__ = ["run", "warm_up"]
