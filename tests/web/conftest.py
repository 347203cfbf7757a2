"""Browser tests: Debian's chromium (never a downloaded browser), headless, driven by Playwright,
against the real server on a loopback port with agents whose timing the test controls."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from server.agents.registry import default_agents
from tests.support.browser import Site
from tests.support.gated_agents import gated_team
from tests.support.harness import LiveServer, make_settings

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = os.environ.get("CROSSCHECK_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail(
            "Debian's chromium is missing: scripts/test installs it (apt-get install chromium)."
        )
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope, not session: while Playwright's sync API is open it owns an event loop in
    # this thread, and asyncio tests collected after this module could not run their own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """The server with gated agents; `@pytest.mark.parametrize("site", ["real"], indirect=True)`
    runs Crosscheck's own four agents instead."""
    team = gated_team()
    agents = default_agents() if getattr(request, "param", "gated") == "real" else team
    settings = make_settings(tmp_path / "data", heartbeat_s=1.0, agent_timeout_s=60.0)
    server = LiveServer(settings, agents).start()  # type: ignore[arg-type]
    try:
        yield Site(server, team)
    finally:
        for agent in team.values():
            agent.complete()  # let nothing hang in the server's shutdown
        server.stop()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh page, closed before the server stops; a script or console error fails the test."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "WebSocket" not in message.text:
            problems.append(f"console error: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    assert not problems, problems
