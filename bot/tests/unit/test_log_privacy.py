"""serving/log_privacy.py: no message text in Rasa's or the action server's
logs, whichever way it is logged (Rasa's structlog events, stdlib records)."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import structlog

from serving import log_privacy
from serving.log_privacy import WITHHELD, NoUserText, clean_message, withhold_user_text

TYPED = "Mrs [name] says dad shook the baby"


def test_the_structlog_processor_withholds_every_user_text_key() -> None:
    event = {"event": "rest.message.received.timeout", "text": TYPED,
             "slot_values": {"description": TYPED}, "sender_id": "abc"}
    assert withhold_user_text(None, "error", event) == {
        "event": "rest.message.received.timeout", "text": WITHHELD,
        "slot_values": WITHHELD, "sender_id": "abc",
    }


def test_rasas_own_logging_setup_uses_it_after_install(caplog: pytest.LogCaptureFixture) -> None:
    """The REST channel's timeout event, as Rasa 3.6 logs it, through Rasa's
    own structlog configuration."""
    log_privacy.install()
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    logger = structlog.get_logger("rasa.core.channels.rest")
    try:
        raise asyncio.CancelledError()
    except asyncio.CancelledError:
        logger.error("rest.message.received.timeout", text=TYPED)
        logger.exception("rest.message.received.failure", text=TYPED)
    logger.debug("processor.slots.log", slot_values={"description": TYPED})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rest.message.received.timeout" in logged, "the event is still logged"
    assert "processor.slots.log" in logged
    assert "shook" not in logged and "[name]" not in logged, logged


@pytest.mark.parametrize(
    "name", ["rasa.core.processor", "rasa_sdk.executor", "sanic.error", "actions.forms", "root"]
)
def test_stdlib_records_from_the_bots_loggers_lose_quoted_text(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    log_privacy.install()
    caplog.set_level(logging.DEBUG)
    logging.getLogger(name if name != "root" else None).error(
        "Received user message '%s' with intent 'describe_case'", TYPED
    )
    (record,) = caplog.records
    assert record.getMessage() == f"Received user message {WITHHELD} with intent {WITHHELD}"


def test_other_loggers_are_left_alone() -> None:
    record = logging.LogRecord("navigator.chat", logging.INFO, __file__, 1, "'%s'", ("x",), None)
    assert NoUserText().filter(record)
    assert record.getMessage() == "'x'"


def test_json_lines_keep_their_shape_with_values_withheld() -> None:
    line = json.dumps({"event": "rest.message.received.timeout", "text": TYPED,
                       "metadata": {"navigator_parse": {"age": None}}, "level": "error"})
    cleaned = json.loads(clean_message(line))
    assert cleaned == {"event": "rest.message.received.timeout", "text": WITHHELD,
                       "metadata": WITHHELD, "level": "error"}


def test_install_is_idempotent() -> None:
    log_privacy.install()
    factory = logging.getLogRecordFactory()
    log_privacy.install()
    assert logging.getLogRecordFactory() is factory
