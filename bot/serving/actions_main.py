"""The action server (rasa_sdk's own command line) with no user text in its
logs: :func:`serving.log_privacy.install` runs first.

Usage (what scripts/bot-serve.sh and tests/support/stack.py run, from bot/):
    .venv/bin/python -m serving.actions_main --actions actions --port 5055
"""

from __future__ import annotations

from serving.log_privacy import install


def main() -> None:
    install()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
