"""Rendering admin pages, and the route class that turns AdminPageError into one.

Every admin router uses :class:`AdminRoute`, so a refused request (not signed
in, wrong role, failed CSRF check, throttled, not found) becomes a readable
NHS-styled page, or a redirect to sign in, instead of a JSON error. Bad
input (FastAPI's validation errors, an unreadable form, NUL characters) is a
400 page with the reason (api.admin.bad_input), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.admin.bad_input import bad_request, from_validation_error, refuse_nul
from api.admin.charts import usage_chart
from api.admin.security import AdminPageError
from api.templating import templates
from knowledge.staff.accounts import SignedIn, role_at_least

templates.env.globals["usage_chart"] = usage_chart  # the usage insights' SVG charts

NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("/admin", "Dashboard", "editor"),
    ("/admin/services", "Services", "editor"),
    ("/admin/concerns", "Concerns", "editor"),
    ("/admin/areas", "Areas", "editor"),
    ("/admin/postcodes", "Postcodes", "editor"),
    ("/admin/rules", "Rules", "editor"),
    ("/admin/volunteer", "Volunteer route", "editor"),
    ("/admin/draft", "Draft", "editor"),
    ("/admin/preview", "Try a case", "editor"),
    ("/admin/versions", "History", "editor"),
    ("/admin/usage", "Usage", "editor"),
    ("/admin/transfer", "Import and export", "editor"),
    ("/admin/users", "Accounts", "admin"),
    ("/admin/audit", "Audit log", "admin"),
)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    current: SignedIn | None = getattr(request.state, "admin", None)
    navigation = [
        (href, label) for href, label, role in NAVIGATION
        if current is not None and role_at_least(current.user.role, role)
    ]
    full = {
        "current": current,
        "csrf_token": current.session.csrf_token if current else "",
        "navigation": navigation,
        "path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(request: Request, error: AdminPageError) -> Response:
    if error.location is not None:
        return RedirectResponse(error.location, status_code=error.status_code)
    return render(
        request,
        "admin/error.html",
        {"title": error.title, "message": error.message, "status": error.status_code},
        status_code=error.status_code,
    )


class AdminRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                await refuse_nul(request)
                return await handler(request)
            except AdminPageError as error:
                return error_page(request, error)
            except RequestValidationError as exc:
                return error_page(request, from_validation_error(exc))
            except StarletteHTTPException as exc:
                if exc.status_code != 400:  # 413 and the like keep their own answers
                    raise
                reason = f"The form could not be read ({exc.detail})."
                return error_page(request, bad_request(reason))

        return route


def redirect(location: str) -> RedirectResponse:
    """After a successful form post: go to the page that shows the result."""
    return RedirectResponse(location, status_code=303)
