"""Signing in and out, and each person's own account (password change).

Sign-in is slowed down (never locked) per account and address and per
address using attempts kept in the database, so the delays hold however many
api instances there are (api.admin.sign_in_guard, knowledge.staff.throttle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import FileResponse

from api.admin import sign_in_guard, two_step
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    CsrfEditorDep,
    EditorDep,
    OptionalUserDep,
    check_login_csrf,
    clear_session_cookie,
    client_address,
    new_login_csrf,
    set_login_csrf_cookie,
    set_session_cookie,
)
from api.deps import SessionDep, SettingsDep
from knowledge.staff import audit, second_factor
from knowledge.staff.accounts import (
    AccountError,
    authenticate,
    end_all_sessions,
    end_session,
    set_password,
    start_session,
)
from knowledge.staff.passwords import verify_password

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)

STYLESHEET = Path(__file__).parent / "static" / "admin.css"


@router.get("/static/admin.css")
def stylesheet() -> FileResponse:
    return FileResponse(STYLESHEET, media_type="text/css")


def _safe_next(target: str) -> str:
    """Only local admin paths, so the sign-in form cannot redirect elsewhere."""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin"


def _login_page(
    request: Request,
    settings: SettingsDep,
    *,
    errors: dict[str, str] | None = None,
    email: str = "",
    next_path: str = "/admin",
    status_code: int = 200,
) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_csrf()
    response = render(
        request,
        "admin/login.html",
        {"title": "Sign in", "errors": errors or {}, "email": email, "next": next_path,
         "login_csrf": token},
        status_code=status_code,
    )
    set_login_csrf_cookie(response, request, settings, token)
    return response


@router.get("/login")
def login_form(
    request: Request, settings: SettingsDep, current: OptionalUserDep, next: str = "/admin"
) -> Response:
    if current is not None:
        return redirect(_safe_next(next))
    return _login_page(request, settings, next_path=_safe_next(next))


@router.post("/login", dependencies=[Depends(check_login_csrf)])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "/admin",
) -> Response:
    address = client_address(request)
    wait = sign_in_guard.wait_before_sign_in(session, email, address)
    if wait:
        sign_in_guard.record_throttled(session, email, address, wait)
        response = _login_page(
            request, settings, email=email, next_path=_safe_next(next), status_code=429,
            errors={"email": sign_in_guard.throttled_message(wait)},
        )
        response.headers["Retry-After"] = sign_in_guard.retry_after(wait)
        return response
    user = authenticate(session, email, password, address)
    if user is None:
        sign_in_guard.record_failure(session, email, address)
        return _login_page(
            request, settings, email=email, next_path=_safe_next(next), status_code=400,
            errors={"email": "Enter the email address and password of an active account. "
                             "Check both and try again."},
        )
    if second_factor.needed_at_sign_in(user):
        return two_step.begin(request, session, settings, user, _safe_next(next))
    token = start_session(session, user, replacing=request.cookies.get(COOKIE))
    audit.record(session, user.email, "sign_in", address=address)
    response = redirect(_safe_next(next))
    set_session_cookie(response, request, settings, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@router.post("/logout")
def logout(
    request: Request, session: SessionDep, settings: SettingsDep, current: CsrfEditorDep
) -> Response:
    end_session(session, request.cookies.get(COOKIE, ""))
    audit.record(session, current.user.email, "sign_out", address=client_address(request))
    response = redirect("/admin/login")
    clear_session_cookie(response, request, settings)
    return response


@router.post("/logout-everywhere")
def logout_everywhere(
    request: Request, session: SessionDep, settings: SettingsDep, current: CsrfEditorDep
) -> Response:
    end_all_sessions(session, current.user)
    audit.record(
        session, current.user.email, "sign_out_everywhere", address=client_address(request)
    )
    response = redirect("/admin/login")
    clear_session_cookie(response, request, settings)
    return response


@router.get("/account")
def account(request: Request, current: EditorDep, done: str = "") -> Response:
    notice = "Your password has been changed." if done == "password" else ""
    return render(request, "admin/account.html", {"title": "Your account", "errors": {},
                                                  "notice": notice})


@router.post("/account/password")
def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    current: CsrfEditorDep,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not verify_password(current_password, current.user.password_hash):
        errors["current-password"] = "Your current password is not right."
    else:
        try:
            set_password(session, current.user, new_password)
        except AccountError as exc:
            errors["new-password"] = str(exc)
    if errors:
        return render(request, "admin/account.html",
                      {"title": "Your account", "errors": errors}, status_code=400)
    audit.record(session, current.user.email, "password_changed",
                       address=client_address(request))
    # set_password signed every browser out; start a fresh session for this one
    token = start_session(session, current.user)
    response = redirect("/admin/account?done=password")
    set_session_cookie(response, request, settings, token)
    return response
