"""HTML pages for practitioners: the chat page at ``/``.

The page is a static shell; chat.js talks to ``POST /api/v1/chat``. Nothing
about the conversation is rendered on the server, so the page can be cached
and served under a strict Content-Security-Policy.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.templating import templates

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """The practitioners' chat page."""
    return templates.TemplateResponse(request, "chat.html")
