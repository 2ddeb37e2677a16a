"""The direct contacts that must never depend on a recommendation: 999, the
safeguarding front door and LMM, from the published service records.

The bot fetches them while the api is up and keeps them, so what it says when
the api is down comes from the published content, not only from the seed file
it was built with (``bot/actions/offline.py``).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import KnowledgeDep
from pathways.contacts import DIRECT_CONTACTS, contact_lines

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])


class DirectContacts(BaseModel):
    """The direct contacts of the published content, one line each."""

    version: int = Field(description="The published content version they come from")
    text: str = Field(description="One contact a line, an uncertain number with its caveat "
                      "and what is unconfirmed, as the chat's 503 gives them")


@router.get("/direct", summary="The direct contacts (999, safeguarding, LMM), published")
def direct_contacts(knowledge: KnowledgeDep) -> DirectContacts:
    return DirectContacts(version=knowledge.version,
                          text=contact_lines(knowledge, DIRECT_CONTACTS))
