"""The servers the browser tests drive: a real api process, with or without
the trained bot behind it. The browser itself (``browser``, ``page``) is a
session fixture of tests/support/browser_fixtures.py, shared with the fault
tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.live import LiveServer, free_port, start_api
from tests.support.stack import require_bot, running_stack


@pytest.fixture(scope="session")
def api_without_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real api, with RASA_URL pointing at a port where nothing listens."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    with start_api(data_dir, rasa_url=f"http://127.0.0.1:{free_port()}") as server:
        yield server


@pytest.fixture(scope="session")
def chat_stack_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The api with the trained Rasa server and the action server behind it."""
    require_bot()
    with running_stack(tmp_path_factory.mktemp("browser-stack")) as stack:
        yield stack.api_url
