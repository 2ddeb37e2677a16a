"""Security headers on every response.

The pages load nothing from other sites and have no inline code, so the
Content-Security-Policy is strict; only the Swagger UI page at /docs needs its
one inline start-up script and the inline styles Swagger UI sets.

The middleware covers every answer that passes through the app: pages, api
errors (400, 404, 405, 413, 422, 429), static files and admin pages. The 500
answer is made outside all middleware (Starlette's ServerErrorMiddleware), so
api.errors adds :func:`security_headers` to it itself. In production
Strict-Transport-Security tells browsers to use HTTPS only. The ``Server``
header is uvicorn's; every way the api is started passes --no-server-header.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.requests import HTTPConnection

STRICT_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = STRICT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(request: HTTPConnection) -> dict[str, str]:
    """The headers every response to ``request`` carries."""
    headers = dict(HEADERS)
    headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/docs" else STRICT_CSP
    settings = getattr(request.app.state, "settings", None)
    if getattr(settings, "environment", None) == "production":
        headers["Strict-Transport-Security"] = HSTS
    return headers


def install_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def add_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in security_headers(request).items():
            response.headers.setdefault(name, value)
        return response
