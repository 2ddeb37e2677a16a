"""Logging for the api process: access lines with no query string or client
address, and no message text anywhere.

uvicorn's access log writes ``client - "METHOD /path?query HTTP/1.1" status``.
A query string or a path can carry what a practitioner typed, so
:class:`AccessLogWithoutQuery` rewrites each access record to
``METHOD /path status``: the path without its query, the method and the status,
nothing else (the client address is dropped too). The api's own loggers
(``navigator.*``) never log message text; the chat proxy logs only that Rasa
was unavailable and why.

``api/logging.json`` wires it up for uvicorn (``--log-config``), used by
scripts/run.sh and tests/support/stack.py; :data:`LOGGING` is the same
configuration for code that starts uvicorn itself.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Final

LOGGING_JSON: Final = Path(__file__).with_name("logging.json")


class AccessLogWithoutQuery(logging.Filter):
    """Rewrite uvicorn.access records to method, path without query, status."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, full_path, _version, status = args
            path = str(full_path).split("?", 1)[0].split("#", 1)[0]
            record.msg = "%s %s %s"
            record.args = (method, path, status)
        elif record.args:
            # Not the shape uvicorn writes: keep the line, never its arguments.
            record.msg = "access record of an unknown shape"
            record.args = None
        return True


def logging_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(LOGGING_JSON.read_text(encoding="utf-8"))
    return config


LOGGING: Final = logging_config()
