"""A deliberately slow stand-in for Rasa's REST channel, as a real HTTP server
(for the back-pressure fault test): every turn takes DELAY seconds, then
answers one text message, like Rasa does.

    python -m tests.support.slow_rasa PORT DELAY
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def make_app(delay: float) -> Starlette:
    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        await asyncio.sleep(delay)
        return JSONResponse([{"recipient_id": body.get("sender"), "text": "Slowly answered."}])

    return Starlette(routes=[Route("/webhooks/rest/webhook", webhook, methods=["POST"])])


def main(argv: list[str]) -> None:
    port, delay = int(argv[1]), float(argv[2])
    uvicorn.run(make_app(delay), host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(sys.argv)
