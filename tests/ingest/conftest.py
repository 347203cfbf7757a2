"""Fixtures for the reader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.builders import DocBuilder


@pytest.fixture
def build() -> Callable[[], DocBuilder]:
    return DocBuilder


@pytest.fixture
def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "server" / "samples"
