from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.harness import LiveServer, ScriptedAgent, make_settings


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """start_server(team=None, data_dir=None, **settings) -> a running LiveServer."""
    servers: list[LiveServer] = []

    def start(
        team: dict[str, ScriptedAgent] | None = None, data_dir: Path | None = None, **settings: Any
    ) -> LiveServer:
        server = LiveServer(make_settings(data_dir or tmp_path / "data", **settings), team)
        servers.append(server.start())
        return server

    yield start
    for server in servers:
        server.stop()
