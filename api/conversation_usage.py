"""The anonymous usage counts count each chat conversation once.

A conversation is counted when the chat first gives it an answer with no
question pending (the bot's final recommendation, or urgent guidance), under
its server-issued id (:mod:`api.conversations`); later answers in the same
conversation, however many messages it sends, are not counted again. So a
loop of messages cannot inflate the counts beyond one per conversation, and
starting conversations is itself rate-limited per address.

Each instance remembers the ids it has counted in a bounded set that forgets
an id after ``CONVERSATION_MAX_AGE_SECONDS`` (when its cookie expires anyway)
or when full (the oldest first). Only ids are held: no message text, no
answers. A conversation whose turns reach two api instances may be counted
once on each.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError

from api.admin.recording import UsageBuffer, UsageBufferDep
from api.deps import KnowledgeDep, TodayDep
from knowledge.usage.counts import usage_key
from pathways.model import Knowledge
from pathways.recommend import Recommendation

log = logging.getLogger("navigator.usage")

MAX_REMEMBERED = 50_000


class CountedConversations:
    """Conversation ids already counted: bounded in size, each forgotten after ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float, max_ids: int = MAX_REMEMBERED) -> None:
        self._ttl = ttl_seconds
        self._max = max_ids
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._expiry)

    def first_time(self, conversation_id: str, now: float | None = None) -> bool:
        """True the first time an id is seen (it is then remembered), False after."""
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._expiry and next(iter(self._expiry.values())) <= now:
                self._expiry.popitem(last=False)  # ids are added in expiry order
            if conversation_id in self._expiry:
                return False
            while len(self._expiry) >= self._max:
                self._expiry.popitem(last=False)
            self._expiry[conversation_id] = now + self._ttl
            return True


def count_conversation(
    buffer: UsageBuffer,
    counted: CountedConversations,
    conversation_id: str,
    recommendation: dict[str, Any] | None,
    asking: str | None,
    knowledge: Knowledge,
    today: date,
) -> bool:
    """Count the conversation's answer if it is its first complete one; True if counted."""
    if recommendation is None or asking is not None:
        return False
    try:
        answer = Recommendation.model_validate(recommendation)
    except ValidationError:
        log.warning("a chat recommendation could not be read for the usage counts")
        return False
    key = usage_key(answer, knowledge, today)
    if not counted.first_time(conversation_id):
        return False
    buffer.add(key)
    return True


ConversationCounter = Callable[[str, dict[str, Any] | None, str | None], bool]


async def conversation_counter(
    request: Request, buffer: UsageBufferDep, knowledge: KnowledgeDep, today: TodayDep
) -> ConversationCounter:
    """``count(conversation_id, recommendation, asking)`` for the chat."""
    counted: CountedConversations = request.app.state.counted_conversations

    def count(
        conversation_id: str, recommendation: dict[str, Any] | None, asking: str | None
    ) -> bool:
        return count_conversation(
            buffer, counted, conversation_id, recommendation, asking, knowledge, today
        )

    return count


ConversationCounterDep = Annotated[ConversationCounter, Depends(conversation_counter)]
