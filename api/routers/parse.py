"""Find an age, a postcode, concerns and consent inside one free-text message.

The bot reads messages through this (or gets the same reading from the chat
proxy), so every red flag comes from the engine, not from the trained model.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import KnowledgeDep, SessionDep, TodayDep
from api.message_reading import read_message

router = APIRouter(prefix="/api/v1", tags=["parse"])


class ParseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=2000, examples=["4 month old in BD3, mum can't bond with him"])


@router.post("/parse", summary="Find age, postcode, concerns and consent in a message")
def parse_message(
    body: ParseRequest, knowledge: KnowledgeDep, session: SessionDep, today: TodayDep
) -> dict[str, Any]:
    return read_message(body.text, knowledge, session, today)
