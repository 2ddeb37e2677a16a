"""No message text in the bot's logs (Rasa and the action server).

Rasa 3.6 logs what a practitioner typed in several places: its REST channel
logs the whole message at ERROR when a turn times out
(``rest.message.received.timeout``, ``text=...``), and at DEBUG the processor
logs the parsed text, slot values and events. Those go through structlog with
the text under known keys (``text``, ``user_text``, ``slot_values`` ...);
Rasa's own ``_anonymizer`` step only acts when Rasa Pro's anonymisation
plugin is installed. Two guards, installed by :func:`install` before Rasa or
the action server configures logging:

- :func:`withhold_user_text`, a structlog processor put in place of Rasa's
  ``_anonymizer``, replaces the value of every such key with ``[withheld]``:
  the event is still logged, its name says what happened;
- :class:`NoUserText`, applied to every standard-library log record from
  Rasa, rasa_sdk, Sanic and the bot's own code (through the record factory,
  so whatever handler Rasa installs sees only clean records), replaces any
  quoted text ('...' or "...") and any JSON value under those keys with
  ``[withheld]``.

The text Rasa receives is already redacted by the api (api/redaction.py); this
keeps even that out of the logs.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable, Dict, Optional

WITHHELD = "[withheld]"
# Rasa 3.6's anonymizable keys (rasa.utils.log_utils._anonymizer), and more
# that carry what was typed or what the conversation holds.
USER_TEXT_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text",
    "parse_data_entities", "prediction_events", "tracker_latest_message",
    "prefilled_slots", "message", "response", "slot_candidates", "rasa_event",
    "rasa_events", "tracker_states", "current_states", "old_states", "successes",
    "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message", "metadata", "parse_data", "tracker", "events", "slots", "value",
    "entities", "utterance", "description",
})
# Loggers whose records are cleaned (and their children).
CLEANED_LOGGERS = ("rasa", "rasa_sdk", "sanic", "actions", "serving", "aiohttp", "root")

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
_JSON_VALUE = re.compile(
    r'"(?P<key>' + "|".join(sorted(USER_TEXT_KEYS)) + r')"\s*:\s*'
    r'(?P<value>"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\{[^{}]*\}|[^,}\]]+)'
)


def withhold_user_text(
    _logger: Any, _method: str, event_dict: Dict[str, Any]
) -> Dict[str, Any]:
    """structlog processor: every value under a user-text key is withheld."""
    for key in USER_TEXT_KEYS & event_dict.keys():
        if key != "event":
            event_dict[key] = WITHHELD
    return event_dict


def _withheld(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: WITHHELD if k in USER_TEXT_KEYS else _withheld(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_withheld(v) for v in value]
    if isinstance(value, str):
        return _QUOTED.sub(WITHHELD, value)
    return value


def clean_message(message: str) -> str:
    """A log line with user-text values (in a JSON line) or quoted text withheld."""
    if message.lstrip().startswith("{"):
        try:
            parsed = json.loads(message)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            # structlog's JSON (tracebacks' locals included): values under
            # user-text keys withheld, then any quoted text left in the values.
            return json.dumps(_withheld(parsed), ensure_ascii=False)
    message = _JSON_VALUE.sub(lambda m: f'"{m.group("key")}": "{WITHHELD}"', message)
    return _QUOTED.sub(WITHHELD, message)


def _cleaned(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in CLEANED_LOGGERS)


class NoUserText(logging.Filter):
    """Rewrite a record from the bot's loggers so it carries no user text:
    its arguments are merged in and quoted text is withheld."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _cleaned(record.name):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: keep no arguments
            message = str(record.msg)
        record.msg = clean_message(message)
        record.args = None
        return True


_installed = False


def install() -> None:
    """Put both guards in place for this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    no_user_text = NoUserText()
    make_record: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        no_user_text.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _replace_rasa_anonymizer()


def _replace_rasa_anonymizer() -> Optional[bool]:
    try:
        from rasa.utils import log_utils
    except ImportError:  # the action server has no Rasa
        return None
    log_utils._anonymizer = withhold_user_text  # type: ignore[attr-defined]
    return True
