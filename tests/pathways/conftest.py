"""Fixtures for the engine tests: the real seed knowledge and a fixed date."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.seed_files import load_seed
from pathways.model import Knowledge

TODAY = date(2026, 1, 15)


@pytest.fixture(scope="session")
def seed() -> Knowledge:
    """The reviewed seed content in knowledge/seed/, as the engine sees it."""
    return load_seed(version=1)


@pytest.fixture
def today() -> date:
    return TODAY
