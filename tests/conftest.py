"""What every test shares: Hypothesis's profile, what worker processes start with, and the
`start_server` fixture (a live server on a loopback port, stopped after the test).

Property tests run the same examples on every run (`derandomize`), so a pass or a failure on
one machine is the same on another, and they have no per-example deadline: a busy machine must
not fail a test that is correct (speed is measured in bench/, never asserted here). Nothing is
written to a `.hypothesis/` example database. `HYPOTHESIS_PROFILE=explore` draws new random
examples on every run, to hunt for failures locally.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.support.harness import LiveServer, ScriptedAgent, make_settings

settings.register_profile("crosscheck", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", settings.get_profile("crosscheck"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "crosscheck"))

# Tests that start servers with worker processes get them forked from one fork server per
# session (server/workers.py) that imported the test agents' code once, instead of each worker
# importing it on its first job.
multiprocessing.get_context("forkserver").set_forkserver_preload(["tests.support.worker_agents"])


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """start_server(team=None, data_dir=None, **settings) -> a running LiveServer."""
    servers: list[LiveServer] = []

    def start(
        team: dict[str, ScriptedAgent] | None = None, data_dir: Path | None = None, **overrides: Any
    ) -> LiveServer:
        server = LiveServer(make_settings(data_dir or tmp_path / "data", **overrides), team)
        servers.append(server.start())
        return server

    yield start
    for server in servers:
        server.stop()
