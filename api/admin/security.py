"""Who is signed in, what their role lets them do, and CSRF checks.

Handlers declare what they need as a dependency (``EditorDep``, ``PublisherDep``,
``AdminDep``, and ``CsrfEditorDep``… for forms that change state). Failures
raise :class:`AdminPageError`, which the admin route class renders as a clear
page: sign-in redirect, 403, 429, 404 or 409.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Response

from api.deps import SessionDep
from api.settings import Settings
from knowledge.staff.accounts import ABSOLUTE_TIMEOUT, SignedIn, resume_session, role_at_least

COOKIE = "navigator_admin"
LOGIN_CSRF_COOKIE = "navigator_admin_login"
LOGIN_PATH = "/admin/login"


class AdminPageError(Exception):
    """An admin request that cannot go on; rendered as a page with ``message``."""

    def __init__(
        self, status_code: int, title: str, message: str, location: str | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.title = title
        self.message = message
        self.location = location


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def secure_cookies(request: Request, settings: Settings) -> bool:
    """Secure cookies over HTTPS, and always in production (behind a TLS proxy)."""
    return request.url.scheme == "https" or settings.environment == "production"


def set_session_cookie(
    response: Response, request: Request, settings: Settings, token: str
) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
        path="/admin",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request, settings),
    )


def clear_session_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path="/admin", httponly=True, samesite="lax",
        secure=secure_cookies(request, settings),
    )


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def set_login_csrf_cookie(
    response: Response, request: Request, settings: Settings, token: str
) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, max_age=3600, path="/admin", httponly=True, samesite="lax",
        secure=secure_cookies(request, settings),
    )


def optional_user(request: Request, session: SessionDep) -> SignedIn | None:
    token = request.cookies.get(COOKIE)
    return resume_session(session, token) if token else None


OptionalUserDep = Annotated[SignedIn | None, Depends(optional_user)]


def signed_in(request: Request, current: OptionalUserDep) -> SignedIn:
    if current is None:
        target = request.url.path if request.method == "GET" else "/admin"
        raise AdminPageError(
            303, "Sign in", "Sign in to continue.", location=f"{LOGIN_PATH}?next={target}"
        )
    request.state.admin = current
    return current


SignedInDep = Annotated[SignedIn, Depends(signed_in)]


def _require(role: str) -> Callable[[SignedIn], SignedIn]:
    def dependency(current: SignedInDep) -> SignedIn:
        if not role_at_least(current.user.role, role):
            raise AdminPageError(
                403,
                "You do not have permission to do that",
                f"This needs the {role} role; your account has the {current.user.role} role. "
                "Ask an admin if you need it.",
            )
        return current

    return dependency


EditorDep = Annotated[SignedIn, Depends(_require("editor"))]
PublisherDep = Annotated[SignedIn, Depends(_require("publisher"))]
AdminDep = Annotated[SignedIn, Depends(_require("admin"))]


def csrf_failure() -> AdminPageError:
    return AdminPageError(
        403,
        "This form has expired",
        "The form could not be checked as coming from this site (its security token is "
        "missing or out of date), so nothing was changed. Go back, reload the page and try again.",
    )


async def _form_token(request: Request) -> str:
    form = await request.form()
    value = form.get("csrf_token")
    return value if isinstance(value, str) else ""


def _csrf(role: str) -> Callable[[Request, SignedIn], Awaitable[SignedIn]]:
    check_role = _require(role)

    async def dependency(request: Request, current: SignedInDep) -> SignedIn:
        submitted = await _form_token(request)
        if not hmac.compare_digest(submitted.encode(), current.session.csrf_token.encode()):
            raise csrf_failure()
        return check_role(current)

    return dependency


CsrfEditorDep = Annotated[SignedIn, Depends(_csrf("editor"))]
CsrfPublisherDep = Annotated[SignedIn, Depends(_csrf("publisher"))]
CsrfAdminDep = Annotated[SignedIn, Depends(_csrf("admin"))]


async def check_login_csrf(request: Request) -> None:
    """Sign-in has no session yet: its token is a cookie the form must echo."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    submitted = await _form_token(request)
    if not cookie or not hmac.compare_digest(submitted.encode(), cookie.encode()):
        raise csrf_failure()

