"""The api's client for Rasa's REST channel (``/webhooks/rest/webhook``).

One small class with timeouts: any failure to get a well-formed answer from
Rasa becomes :class:`RasaUnavailable`, which the chat router turns into a 503
that still carries the direct contacts and any urgent guidance.
"""

from __future__ import annotations

import ssl
from typing import Annotated, Any

import httpx
from fastapi import Depends

from api.settings import SettingsDep

WEBHOOK_PATH = "/webhooks/rest/webhook"
# Building an SSL context loads the CA bundle (~100 ms); a client per request
# would pay that on every chat turn, so one context is made once and shared.
SSL_CONTEXT = ssl.create_default_context()


class RasaUnavailable(Exception):
    """Rasa could not be reached, timed out, or answered with an error."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        timeout_seconds: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout = httpx.Timeout(timeout_seconds, connect=min(2.0, timeout_seconds))
        self._transport = transport

    async def send(
        self, sender_id: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one practitioner message (with ``metadata`` for the bot's NLU
        and actions); return Rasa's bot messages in order."""
        payload: dict[str, Any] = {"sender": sender_id, "message": message}
        if metadata:
            payload["metadata"] = metadata
        try:
            async with httpx.AsyncClient(
                base_url=self._base_url,
                timeout=self._timeout,
                transport=self._transport,
                verify=SSL_CONTEXT,
            ) as client:
                response = await client.post(WEBHOOK_PATH, json=payload)
                response.raise_for_status()
                body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error) or type(error).__name__) from error
        if not isinstance(body, list) or not all(isinstance(m, dict) for m in body):
            raise RasaUnavailable("Rasa answered something other than a list of messages")
        return body


def get_rasa_client(settings: SettingsDep) -> RasaClient:
    return RasaClient(settings.rasa_url, settings.rasa_timeout_seconds)


RasaDep = Annotated[RasaClient, Depends(get_rasa_client)]
