"""POST /api/v1/chat: the chat page's one endpoint, a proxy to Rasa.

The proxy turns Rasa's REST messages into DESIGN.md's chat contract (the
``asking`` slot and the ``recommendation`` travel as custom payloads from the
bot). It reads every message with the engine once (what ``POST /api/v1/parse``
answers) and sends that reading to Rasa as the message's metadata, so the
bot's red-flag screen and slot reading need no call back to the api. The same
reading screens the message here, so an emergency is never hidden: if the
bot's answer lacks urgent guidance for a red flag the engine found, the proxy
adds it; if Rasa is down it answers 503 with the direct contacts and, for a
red flag, the engine's urgent recommendation.

The server issues each conversation's id in a signed, HttpOnly cookie
(:mod:`api.conversations`); a ``sender_id`` in the body is refused. Each
conversation's first complete answer is counted once in the anonymous usage
counts (:mod:`api.conversation_usage`).
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any, Literal, cast, get_args

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from api.conversation_usage import ConversationCounterDep
from api.conversations import ConversationsDep, conversation_for
from api.deps import KnowledgeDep, SessionDep, SettingsDep, TodayDep
from api.errors import FieldError, FieldErrorItem
from api.message_reading import read_message, without_personal_details
from api.rasa_client import RasaBusy, RasaDep, RasaUnavailable
from api.redaction import redact
from pathways.contacts import DIRECT_CONTACTS
from pathways.contacts import contact_lines as direct_contact_lines
from pathways.model import Knowledge
from pathways.recommend import InputError, Query, recommend

log = logging.getLogger("navigator.chat")
router = APIRouter(prefix="/api/v1", tags=["chat"])

# The metadata key the bot's EngineRedFlagScreen and action_read_message read.
PARSE_METADATA_KEY = "navigator_parse"
# Direct contacts offered when the bot is down: pathways.contacts.DIRECT_CONTACTS.


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        min_length=1,
        max_length=2000,
        examples=["4 month old in BD3, can't bond"],
        description="What the practitioner typed: some text besides spaces",
        # Documents _check's refusal of a blank message, which answers in plain words.
        json_schema_extra={"pattern": r"\S"},
    )
    new_conversation: bool = Field(
        default=False,
        strict=True,
        description="Start a new conversation with this message (the page's \"Start again\"). "
        "The conversation is otherwise the one in the navigator_conversation cookie, "
        "which the server issues",
    )
    # Refused with a 422 that says why: the server issues conversation ids now.
    sender_id: SkipJsonSchema[Any] = None


class Button(BaseModel):
    title: str
    payload: str


MessageKind = Literal["text", "recommendation", "handover", "urgent", "contacts"]
KINDS: frozenset[str] = frozenset(get_args(MessageKind))


class ChatMessage(BaseModel):
    text: str
    buttons: list[Button] = []
    kind: MessageKind = Field(
        default="text",
        description="What the message is, so the page need not guess from its wording: "
        "text (anything else, such as a question), recommendation (spells out the "
        "recommendation), handover (the copyable summary), urgent (urgent guidance), "
        "contacts (direct contacts when the bot or knowledge base cannot answer)",
    )


class ChatResponse(BaseModel):
    messages: list[ChatMessage]
    asking: str | None = None
    recommendation: dict[str, Any] | None = None
    handover: str | None = Field(
        default=None, description="Copyable summary with no names or full postcodes"
    )


class ChatUnavailable(ChatResponse):
    """The chatbot cannot answer: the api's error body (``detail``, ``errors``)
    with the direct contacts and, for a red flag, the urgent guidance."""

    detail: str
    errors: list[FieldErrorItem] = []


def _check(body: ChatRequest) -> None:
    if body.sender_id is not None:
        raise FieldError(
            "sender_id",
            "sender_id is no longer accepted: the server issues each conversation's id in a "
            "cookie. Send only the message (and new_conversation: true to start again).",
        )
    if not body.message.strip():
        raise FieldError("message", "message must contain some text (up to 2,000 characters).")


def from_rasa(bot_messages: list[dict[str, Any]]) -> ChatResponse:
    """Rasa's REST messages as the chat contract: text messages with buttons,
    and the custom payloads lifted into ``asking``/``recommendation``/``handover``.

    Rasa's REST channel sends a bot message's text and its custom payload as
    two messages, the text first; a ``kind`` in the payload is the kind of
    that text."""
    reply = ChatResponse(messages=[])
    just_added: ChatMessage | None = None
    for message in bot_messages:
        text = message.get("text")
        custom = message.get("custom")
        if isinstance(text, str) and text:
            buttons = [
                Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
                for b in message.get("buttons") or []
                if isinstance(b, dict)
            ]
            just_added = ChatMessage(text=text, buttons=buttons)
            reply.messages.append(just_added)
        elif not isinstance(custom, dict):
            just_added = None
        if isinstance(custom, dict):
            kind = custom.get("kind")
            if just_added is not None and isinstance(kind, str) and kind in KINDS:
                just_added.kind = cast(MessageKind, kind)
            just_added = None
            if "asking" in custom:
                reply.asking = str(custom["asking"]) if custom["asking"] else None
            if isinstance(custom.get("recommendation"), dict):
                reply.recommendation = custom["recommendation"]
            if isinstance(custom.get("handover"), str):
                reply.handover = custom["handover"]
    return reply


def red_flags(reading: dict[str, Any]) -> list[str]:
    """The red-flag concern codes in the engine's reading of a message."""
    return [str(c["code"]) for c in reading.get("concerns") or [] if c.get("red_flag")]


def urgent_recommendation(
    message: str, flags: list[str], knowledge: Knowledge, today: date, stale_after_days: int
) -> dict[str, Any] | None:
    try:
        result = recommend(
            Query(description=message, concerns=flags),
            knowledge,
            today,
            stale_after_days=stale_after_days,
        )
    except InputError:
        return None
    return result.model_dump(mode="json")


def urgent_messages(recommendation: dict[str, Any]) -> list[ChatMessage]:
    """The engine's urgent text (pathways.presentation builds it, once)."""
    words = recommendation.get("presentation") or {}
    text = words.get("urgent_text") or f"URGENT: {recommendation.get('headline', '')}"
    return [ChatMessage(text=str(text), kind="urgent")]


def contact_lines(knowledge: Knowledge) -> str:
    """The direct contacts, an uncertain number with its caveat and note."""
    return direct_contact_lines(knowledge, DIRECT_CONTACTS)


@router.post(
    "/chat",
    response_model=ChatResponse,
    summary="Send one message to the navigator's chatbot",
    responses={
        413: {"description": "The request body is over BODY_LIMIT_API_BYTES (32 KB by default)"},
        422: {"description": "message not acceptable, or a sender_id sent; the message says why"},
        429: {"description": "Too many messages or new conversations from this address; "
              "Retry-After says when to try again"},
        503: {
            "model": ChatUnavailable,
            "description": "The chatbot is down, or busy (then with Retry-After): direct "
            "contacts, and urgent guidance for a red flag",
            "headers": {"Retry-After": {
                "description": "When busy: seconds to wait before trying again",
                "required": False,
                "schema": {"type": "integer", "minimum": 1},
            }},
        },
    },
)
async def chat(
    body: ChatRequest,
    request: Request,
    response: Response,
    conversations: ConversationsDep,
    count: ConversationCounterDep,
    knowledge: KnowledgeDep,
    today: TodayDep,
    rasa: RasaDep,
    session: SessionDep,
    settings: SettingsDep,
) -> ChatResponse | JSONResponse:
    _check(body)
    started = time.perf_counter()
    conversation = await conversation_for(request, conversations, body.new_conversation)
    https = request.url.scheme == "https"
    conversations.set_cookie(response, conversation, https)
    # Privacy: the one redaction of the message. Only ``redacted.text`` leaves
    # this function (to Rasa, hence its tracker and logs); the engine reads the
    # original in memory below, so redaction never hides a red flag, an age or
    # a postcode, and what its reading passes on carries no personal detail.
    redacted = redact(body.message)
    # Sync engine and database work: off the event loop, like a sync route.
    reading = await run_in_threadpool(read_message, body.message, knowledge, session, today)
    flags = red_flags(reading)
    # The engine's urgent answer, for when the bot is down or misses the red flag.
    urgent = without_personal_details(
        urgent_recommendation(body.message, flags, knowledge, today, settings.stale_after_days)
        if flags
        else None
    )
    before_rasa = time.perf_counter()
    try:
        bot_messages = await rasa.send(
            conversation.id,
            redacted.text,
            metadata={PARSE_METADATA_KEY: without_personal_details(reading)},
        )
    except RasaBusy as busy:
        # Back-pressure: a quick answer rather than a wait into a timeout.
        log.warning("Rasa busy: answered 503, retry after %s s", busy.retry_after)
        unavailable = _unavailable(urgent, knowledge, busy.retry_after)
        conversations.set_cookie(unavailable, conversation, https)
        count(conversation.id, urgent, None)
        return unavailable
    except RasaUnavailable as error:
        log.warning("Rasa unavailable: %s", error)
        unavailable = _unavailable(urgent, knowledge)
        conversations.set_cookie(unavailable, conversation, https)
        count(conversation.id, urgent, None)
        return unavailable
    after_rasa = time.perf_counter()
    # Where the turn's time went, for bench/bench_turn_breakdown.py and the
    # browser's developer tools: reading the message here, then Rasa (with
    # its action server calls, and theirs back to the api).
    response.headers["Server-Timing"] = server_timing(
        read=before_rasa - started, rasa=after_rasa - before_rasa
    )
    reply = from_rasa(bot_messages)
    already_urgent = (reply.recommendation or {}).get("tier") == "urgent"
    if urgent is not None and not already_urgent:
        reply.messages = urgent_messages(urgent) + reply.messages
        reply.recommendation = urgent
        reply.asking = None
    count(conversation.id, reply.recommendation, reply.asking)
    return reply


def server_timing(**seconds: float) -> str:
    """A Server-Timing header value: each part's duration in milliseconds."""
    return ", ".join(f"{name};dur={value * 1000:.1f}" for name, value in seconds.items())


def _unavailable(
    urgent: dict[str, Any] | None, knowledge: Knowledge, retry_after: int | None = None
) -> JSONResponse:
    detail = "The chatbot is not available just now; the direct contacts are below."
    messages = [
        ChatMessage(
            text="Sorry, the chatbot is not available just now. If a baby or anyone else "
            "is in immediate danger, call 999. Direct contacts:\n" + contact_lines(knowledge),
            kind="contacts",
        )
    ]
    if urgent is not None:
        messages = urgent_messages(urgent) + messages
    if retry_after is not None:
        detail = (f"The navigator is busy just now: try again in {retry_after} seconds; "
                  "the direct contacts are below.")
    reply = ChatUnavailable(messages=messages, recommendation=urgent, detail=detail)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(
        status_code=503, content=reply.model_dump(mode="json"), headers=headers
    )
