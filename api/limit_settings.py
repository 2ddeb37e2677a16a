"""The settings for conversations and the public api's limits, part of the
api's one :class:`api.settings.Settings` (which extends this).

Every limit is per client address (``request.client.host``: uvicorn rewrites
it from ``X-Forwarded-For`` only for the proxies it trusts). Many NHS staff
share one address (a trust's NAT), so the defaults are far above what a
practitioner, or a whole team, ever sends; they stop loops and floods, not
people. Limits are written as the ``limits`` library reads them: ``300/minute``,
several separated by ``;`` (``120/minute;2000/hour``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from limits import parse_many
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings

MINIMUM_SECRET_LENGTH = 32
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ExemptAddresses:
    """The clients never rate-limited: exact addresses (or the names test
    clients use) and networks, so an action server whose address changes
    (a Kubernetes pod) can be exempted by its range."""

    exact: frozenset[str]
    networks: tuple[Network, ...]

    def __contains__(self, address: object) -> bool:
        if not isinstance(address, str):
            return False
        if address in self.exact:
            return True
        if not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def exempt_addresses(value: str) -> ExemptAddresses:
    """``RATE_LIMIT_EXEMPT`` read: comma-separated addresses and networks
    (``10.42.0.0/16``); ValueError, saying what is accepted, for a network
    that cannot be read."""
    exact: set[str] = set()
    networks: list[Network] = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        if "/" not in part:
            exact.add(part)
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as error:
            raise ValueError(
                f"RATE_LIMIT_EXEMPT: {part!r} is not a network: write addresses and networks "
                "separated by commas, like 127.0.0.1,::1,10.42.0.0/16"
            ) from error
    return ExemptAddresses(frozenset(exact), tuple(networks))


class LimitSettings(BaseSettings):
    conversation_secret: SecretStr | None = Field(
        default=None,
        description="The key that signs conversation cookies (HMAC-SHA256), at least 32 "
        "characters, the same on every api instance. Required in production; elsewhere "
        "a key is made once and kept in DATA_DIR/conversation_secret",
    )
    conversation_max_age_seconds: int = Field(
        default=86400, ge=60,
        description="A conversation cookie older than this starts a new conversation "
        "(Rasa forgets conversations after TRACKER_EXPIRY_SECONDS, also a day by default)",
    )

    rate_limit_chat: str = "300/minute"
    rate_limit_parse: str = "300/minute"
    rate_limit_recommendations: str = "300/minute"
    rate_limit_postcodes: str = "300/minute"
    rate_limit_api: str = Field(
        default="600/minute",
        description="Every other /api/v1 endpoint and the Open Referral UK view",
    )
    rate_limit_new_conversations: str = Field(
        default="120/minute;2000/hour",
        description="New chat conversations one address may start",
    )
    rate_limit_storage_url: str = Field(
        default="memory://",
        description="memory:// (per instance) or redis://host:6379/0 (shared by instances)",
    )
    rate_limit_exempt: str = Field(
        default="127.0.0.1,::1",
        description="Comma-separated addresses and networks (10.42.0.0/16) never "
        "rate-limited: the navigator's own action server, which calls the api on every "
        "practitioner's behalf",
    )

    body_limit_api_bytes: int = Field(
        default=32 * 1024, ge=1024,
        description="/api/v1 and every other public path (a 5,000-character description "
        "in any script fits)",
    )
    body_limit_admin_bytes: int = Field(default=256 * 1024, ge=1024)
    body_limit_import_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="The admin's content import upload"
    )

    @field_validator(
        "rate_limit_chat", "rate_limit_parse", "rate_limit_recommendations",
        "rate_limit_postcodes", "rate_limit_api", "rate_limit_new_conversations",
    )
    @classmethod
    def _readable_limit(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as error:
            raise ValueError(
                f"{value!r} is not a rate limit: write it like 300/minute or 120/minute;2000/hour"
            ) from error
        return value

    @field_validator("rate_limit_exempt")
    @classmethod
    def _readable_exemptions(cls, value: str) -> str:
        exempt_addresses(value)
        return value

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _known_storage(cls, value: str) -> str:
        if not value.startswith(("memory://", "redis://", "rediss://")):
            raise ValueError("RATE_LIMIT_STORAGE_URL must be memory:// or a redis:// URL")
        return value

    @field_validator("conversation_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MINIMUM_SECRET_LENGTH:
            raise ValueError(
                f"CONVERSATION_SECRET must be at least {MINIMUM_SECRET_LENGTH} characters"
            )
        return value

    @model_validator(mode="after")
    def _secret_in_production(self) -> LimitSettings:
        if getattr(self, "environment", None) == "production" and self.conversation_secret is None:
            raise ValueError(
                "production needs CONVERSATION_SECRET (at least 32 random characters, the "
                "same on every api instance)"
            )
        return self

    def rate_limit_exempt_addresses(self) -> ExemptAddresses:
        return exempt_addresses(self.rate_limit_exempt)
