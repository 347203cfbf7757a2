"""What the browser tests share besides fixtures: the site under test and its screenshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.support.gated_agents import GatedAgent
from tests.support.harness import LiveServer
from tests.support.paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class Site:
    server: LiveServer
    team: dict[str, GatedAgent]

    @property
    def base(self) -> str:
        return self.server.base


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
