"""The Rasa project itself, checked with the bot's own tools (bot/.venv):
the training data validates with no warnings, every test story passes against
the trained model (with the api up, so red flags come from the engine), and
the action unit tests pass."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.stack import BOT_DIR, BOT_PYTHON, MODEL, RASA, Stack, require_bot, running_stack

pytestmark = [pytest.mark.bot, pytest.mark.slow]

BOT_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def run_in_bot(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=BOT_DIR, env={**BOT_ENV, **env}, capture_output=True, text=True,
        timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def api_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_bot()
    with running_stack(tmp_path_factory.mktemp("api-only"), with_bot=False) as stack:
        yield stack


def test_training_data_validates_with_no_warnings() -> None:
    require_bot(train=False)
    result = run_in_bot([str(RASA), "data", "validate", "--fail-on-warnings",
                         "--domain", "domain", "--data", "data", "--config", "config.yml"])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "UserWarning" not in result.stderr


def test_every_test_story_passes(api_only: Stack, tmp_path: Path) -> None:
    result = run_in_bot(
        [str(RASA), "test", "core", "--model", str(MODEL), "--stories", "tests/test_stories.yml",
         "--out", str(tmp_path), "--fail-on-prediction-errors"],
        NAVIGATOR_API_URL=api_only.api_url,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    counts = re.findall(r"Correct:\s+(\d+) / (\d+)", output)
    assert counts, output[-2000:]
    assert all(right == total for right, total in counts), counts


def test_action_unit_tests_pass() -> None:
    require_bot(train=False)
    result = run_in_bot([str(BOT_PYTHON), "-m", "pytest", "-q"])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
