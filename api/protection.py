"""The public api's protections, installed on the app in one call:
per-address rate limits (:mod:`api.limits`), request body limits
(:mod:`api.body_limit`), server-issued conversations (:mod:`api.conversations`)
and counting each conversation once (:mod:`api.conversation_usage`)."""

from __future__ import annotations

from fastapi import FastAPI

from api.body_limit import BodyLimitMiddleware, BodyLimits
from api.conversation_usage import CountedConversations
from api.conversations import Conversations
from api.limits import RateLimitMiddleware, RateLimits
from api.settings import Settings


def install_protection(app: FastAPI, settings: Settings) -> None:
    """Call before the security headers are installed, so that the 429s and
    413s answered here carry them too."""
    app.state.rate_limits = RateLimits(settings)
    app.state.conversations = Conversations(
        settings, settings.data_dir, secure=settings.environment == "production"
    )
    app.state.counted_conversations = CountedConversations(
        settings.conversation_max_age_seconds
    )
    # The last added runs first: the rate limit, then the body limit.
    app.add_middleware(
        BodyLimitMiddleware,
        limits=BodyLimits(
            api_bytes=settings.body_limit_api_bytes,
            admin_bytes=settings.body_limit_admin_bytes,
            import_bytes=settings.body_limit_import_bytes,
        ),
    )
    app.add_middleware(RateLimitMiddleware, limits=app.state.rate_limits)
