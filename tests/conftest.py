"""Settings every test shares: Hypothesis's profile, and what worker processes start with.

Property tests run the same examples on every run (`derandomize`), so a pass or a failure on
one machine is the same on another, and they have no per-example deadline: a busy machine must
not fail a test that is correct (speed is measured in bench/, never asserted here). Nothing is
written to a `.hypothesis/` example database. `HYPOTHESIS_PROFILE=explore` draws new random
examples on every run, to hunt for failures locally.
"""

from __future__ import annotations

import multiprocessing
import os

from hypothesis import settings

settings.register_profile("crosscheck", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", settings.get_profile("crosscheck"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "crosscheck"))

# Tests that start servers with worker processes get them forked from one fork server per
# session (server/workers.py) that imported the test agents' code once, instead of each worker
# importing it on its first job.
multiprocessing.get_context("forkserver").set_forkserver_preload(["tests.support.worker_agents"])
