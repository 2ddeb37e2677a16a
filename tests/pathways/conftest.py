"""Fixtures for the engine tests: the real seed knowledge and a fixed date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from knowledge.content.reading_corpus import fitted_reader
from knowledge.content.seed_files import load_seed
from pathways.model import Knowledge
from pathways.reading import use_similarity_reader

TODAY = date(2026, 1, 15)


@pytest.fixture(scope="session")
def seed() -> Knowledge:
    """The reviewed seed content in knowledge/content/seed/, as the engine sees it."""
    return load_seed(version=1)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def with_similarity(seed: Knowledge) -> Iterator[None]:
    """The engine as the api runs it: the similarity layer fitted on the
    corpus's train split is the default reader for the test."""
    use_similarity_reader(fitted_reader(seed))
    yield
    use_similarity_reader(None)
