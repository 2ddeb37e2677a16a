"""EngineRedFlagScreen: the engine, not the trained model, decides red flags.

The api's chat proxy reads every practitioner message with the engine (what
``POST /api/v1/parse`` answers) and sends that reading as the message's
metadata (``navigator_parse``); a message that arrives without it (``rasa
test``, ``rasa shell``) is sent to ``POST /api/v1/parse`` here, with a short
timeout on a kept-alive connection, because Rasa runs this synchronously on
its one event loop. When the engine finds a red flag (from the concern phrases
LMM staff maintain) the intent becomes ``red_flag`` with confidence 1.0 and the
red-flag concern codes are added as ``concern`` entities, so the rules give
urgent guidance at once, inside or outside a form. When the engine finds
none, a ``red_flag`` guess by the trained classifier is demoted to the next
intent. When the api cannot be reached the classifier's result stands
(over-triage rather than under-triage), and the api's chat proxy screens
every message itself anyway.

A message in which the engine reads a case detail (a concern from its
phrases, an age or a postcode) is a case, whatever the classifier guessed: its intent becomes
``describe_case``, so a disclosure is never answered as a service question,
small talk or "goodbye", and its details fill the case. Kept as they are:
the case intents themselves, "start again" (a new family) and "speak to a
person", an eligibility check that names no concern, and a question asked
as a question about a service it names ("does Home-Start see pregnant
women?") or about LMM's offers with no age or postcode in it ("how do I
book a consultation?").

The reading is kept on the message as ``navigator_parse``, so
action_read_message fills the slots from it without a second call.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict, List, Optional, Text

import httpx
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

RED_FLAG_INTENT = "red_flag"
FALLBACK_INTENT = "describe_case"
CASE_INTENT = "describe_case"
# Intents that already treat the message as part of the case, or that must
# keep their own path ("start again" forgets the last family first).
CASE_INTENTS = frozenset({"describe_case", "inform", "correct", RED_FLAG_INTENT})
KEPT_INTENTS = frozenset({"start_again", "human_handoff"})
# Questions about services and LMM's offers, kept when asked as questions.
SERVICE_QUESTIONS = frozenset({"ask_service", "ask_consultation", "ask_training"})
QUESTION_WORDS = frozenset({
    "what", "whats", "what's", "who", "whos", "who's", "which", "where", "when", "how",
    "does", "do", "is", "are", "can", "could", "will", "would",
})
# Where the chat proxy puts the engine's reading, and where it is kept for
# the actions (an output property, so it is part of the tracker's parse data).
PARSE_KEY = "navigator_parse"
METADATA = "metadata"


def api_url() -> str:
    return os.environ.get("NAVIGATOR_API_URL", "http://127.0.0.1:8000").rstrip("/")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class EngineRedFlagScreen(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"timeout_seconds": 1.0}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._timeout = float(config.get("timeout_seconds", 1.0))
        self._client: Optional[httpx.Client] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EngineRedFlagScreen":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # button payloads carry their intent already
            findings = given_reading(message) or self._ask_engine(text)
            if findings is not None:
                apply_findings(message, findings)
                message.set(PARSE_KEY, findings, add_to_output=True)
        return messages

    def _ask_engine(self, text: str) -> Optional[Dict[str, Any]]:
        if self._client is None:
            # One client for the process: the connection is kept alive.
            self._client = httpx.Client(
                timeout=httpx.Timeout(self._timeout, connect=min(0.5, self._timeout))
            )
        try:
            response = self._client.post(f"{api_url()}/api/v1/parse", json={"text": text[:2000]})
            response.raise_for_status()
            result: Dict[str, Any] = response.json()
            return result
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("Red-flag screen could not reach the api: %s", error)
            return None


def given_reading(message: Message) -> Optional[Dict[str, Any]]:
    """The engine's reading the chat proxy sent with the message, if any."""
    metadata = message.get(METADATA) or {}
    reading = metadata.get(PARSE_KEY) if isinstance(metadata, dict) else None
    if isinstance(reading, dict) and isinstance(reading.get("concerns"), list):
        return reading
    return None


def apply_findings(message: Message, findings: Dict[str, Any]) -> None:
    """Make the message's intent agree with the engine: red_flag for a red
    flag, describe_case for a case detail the classifier took for something else."""
    intent = message.get(INTENT) or {}
    ranking = list(message.get(INTENT_RANKING_KEY) or [])
    if findings.get("red_flag"):
        codes = [str(c["code"]) for c in findings.get("concerns") or [] if c.get("red_flag")]
        message.set(INTENT, {"name": RED_FLAG_INTENT, "confidence": 1.0}, add_to_output=True)
        others = [r for r in ranking if r.get("name") != RED_FLAG_INTENT]
        message.set(
            INTENT_RANKING_KEY,
            [{"name": RED_FLAG_INTENT, "confidence": 1.0}] + others,
            add_to_output=True,
        )
        entities = list(message.get(ENTITIES) or [])
        entities += [
            {"entity": "concern", "value": code, "start": 0, "end": 0,
             "extractor": "EngineRedFlagScreen"}
            for code in codes
        ]
        message.set(ENTITIES, entities, add_to_output=True)
    else:
        if intent.get("name") == RED_FLAG_INTENT:
            others = [r for r in ranking if r.get("name") not in (RED_FLAG_INTENT, "nlu_fallback")]
            best = others[0] if others else {"name": FALLBACK_INTENT, "confidence": 1.0}
            message.set(INTENT, dict(best), add_to_output=True)
            message.set(INTENT_RANKING_KEY, others, add_to_output=True)
            intent = dict(best)
        if is_a_case(message, str(intent.get("name") or ""), findings):
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") != CASE_INTENT]
            message.set(INTENT, {"name": CASE_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [{"name": CASE_INTENT, "confidence": 1.0}] + ranking,
                add_to_output=True,
            )


def case_details(findings: Dict[str, Any]) -> Dict[str, bool]:
    """Which case details the engine read in the message. A worry it only
    suspects by similarity (tuned for recall: "bye" may resemble a withdrawn
    baby) does not make a message the classifier took for something else a
    case; a red flag, suspected or not, always does (it is urgent)."""
    read = [c for c in findings.get("concerns") or [] if not c.get("suspected")]
    return {
        "concerns": bool(read) or bool(findings.get("red_flag")),
        "age": bool(findings.get("age")),
        "postcode": bool(findings.get("postcode")),
    }


def asked_as_a_question(text: str) -> bool:
    words = text.strip().lower().split()
    return text.strip().endswith("?") or bool(words and words[0] in QUESTION_WORDS)


def is_a_case(message: Message, intent: str, findings: Dict[str, Any]) -> bool:
    """The engine read a case detail in a message the classifier took for
    something else, and the message is not a question that keeps its path."""
    details = case_details(findings)
    if intent in CASE_INTENTS | KEPT_INTENTS or not any(details.values()):
        return False
    if intent == "check_eligibility":
        return details["concerns"]  # an age and postcode alone: still an eligibility check
    if intent in SERVICE_QUESTIONS and asked_as_a_question(message.get(TEXT) or ""):
        if any(e.get("entity") == "service" for e in message.get(ENTITIES) or []):
            return False  # about a named service: "does Home-Start see pregnant women?"
        if intent != "ask_service" and not (details["age"] or details["postcode"]):
            return False  # about LMM's offers: "how do I book a consultation?"
    return True
