"""Conversations belong to whoever started them: the server issues each chat
conversation's id and binds it to the browser with a signed cookie.

The cookie (``navigator_conversation``) holds a random id, the time it was
issued and an HMAC-SHA256 of both under ``CONVERSATION_SECRET``; it is
``HttpOnly`` (the page's script never sees it), ``SameSite=Strict``, limited
to ``Path=/api/v1/chat``, ``Secure`` in production, and ends with the browser
session. The id is what Rasa knows the conversation by, and what the usage
counts count once. A cookie whose signature does not match, or that is older
than ``CONVERSATION_MAX_AGE_SECONDS``, is replaced by a new conversation; so is
no cookie, and ``new_conversation: true`` in the body ("Start again").

The secret: ``CONVERSATION_SECRET`` (required in production, the same on every
instance); otherwise one is made on first start and kept in
``DATA_DIR/conversation_secret``, so restarts and several local instances
keep their conversations.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from api.limit_settings import LimitSettings
from api.limits import NEW_CONVERSATION, RateLimits, client_address

COOKIE_NAME = "navigator_conversation"
COOKIE_PATH = "/api/v1/chat"
SECRET_FILE = "conversation_secret"  # noqa: S105 - a file name, not a secret
ID_BYTES = 18  # 24 url-safe characters: 144 random bits


def _signature(secret: bytes, payload: str) -> str:
    digest = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def stored_secret(data_dir: Path) -> bytes:
    """The secret in ``data_dir``, made there on first use. Written to a
    temporary file and linked into place, so instances starting together all
    read the one that won."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip().encode()


@dataclass(frozen=True)
class Conversation:
    """The conversation a chat request belongs to; ``cookie`` is set when it is new."""

    id: str
    cookie: str | None = None

    @property
    def is_new(self) -> bool:
        return self.cookie is not None


class Conversations:
    """Issues and checks conversation cookies for one app."""

    def __init__(self, settings: LimitSettings, data_dir: Path, secure: bool) -> None:
        configured = settings.conversation_secret
        self._secret = configured.get_secret_value().encode() if configured else None
        self._data_dir = data_dir
        self._lock = threading.Lock()
        self.max_age_seconds = settings.conversation_max_age_seconds
        self.secure = secure

    def secret(self) -> bytes:
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    self._secret = stored_secret(self._data_dir)
        return self._secret

    def issue(self, now: float | None = None) -> Conversation:
        conversation_id = secrets.token_urlsafe(ID_BYTES)
        payload = f"{conversation_id}.{int(now if now is not None else time.time())}"
        return Conversation(conversation_id, f"{payload}.{_signature(self.secret(), payload)}")

    def verify(self, cookie: str | None, now: float | None = None) -> str | None:
        """The conversation id in a cookie this server issued and that has not
        expired; None for anything else."""
        if not cookie or cookie.count(".") != 2:
            return None
        conversation_id, issued, signature = cookie.split(".")
        expected = _signature(self.secret(), f"{conversation_id}.{issued}")
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return None
        try:
            age = (now if now is not None else time.time()) - int(issued)
        except ValueError:
            return None
        if not 0 <= age <= self.max_age_seconds:
            return None
        return conversation_id

    def set_cookie(self, response: Response, conversation: Conversation, https: bool) -> None:
        """Give the browser a new conversation's cookie (``Secure`` over HTTPS
        and always in production)."""
        if conversation.cookie is None:
            return
        response.set_cookie(
            COOKIE_NAME, conversation.cookie, path=COOKIE_PATH, httponly=True,
            samesite="strict", secure=self.secure or https,
        )


def get_conversations(request: Request) -> Conversations:
    conversations: Conversations = request.app.state.conversations
    return conversations


ConversationsDep = Annotated[Conversations, Depends(get_conversations)]


async def conversation_for(
    request: Request, conversations: Conversations, start_new: bool
) -> Conversation:
    """The request's conversation: the one in its cookie, or a new one (no
    cookie, a cookie the server did not issue or that expired, or
    ``start_new``). Starting one counts against the address's limit on new
    conversations: over it, a 429 with ``Retry-After``."""
    if not start_new:
        existing = conversations.verify(request.cookies.get(COOKIE_NAME))
        if existing is not None:
            return Conversation(existing)
    limits: RateLimits = request.app.state.rate_limits
    refusal = await limits.refusal(NEW_CONVERSATION, client_address(request.scope))
    if refusal is not None:
        raise HTTPException(429, detail=refusal.detail, headers=refusal.headers())
    return conversations.issue()
