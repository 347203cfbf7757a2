"""A real server with Crosscheck's own four agents, on a loopback port, shared by the module;
the bundled samples with planted errors audited on it once each, on first use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server.agents.registry import default_agents
from tests.support.exports import Audited, Site
from tests.support.harness import STATEMENT_MD, LiveServer, make_settings


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("exports") / "data"
    settings = make_settings(data_dir, agent_timeout_s=60.0)
    server = LiveServer(settings, default_agents()).start()  # type: ignore[arg-type]
    try:
        with httpx.Client(base_url=server.base, timeout=60) as client:
            yield Site(server, client)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def markdown_audit(site: Site) -> Audited:
    return site.upload("statement.md", STATEMENT_MD)
