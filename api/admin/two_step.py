"""Two-step sign-in pages: the code after the password, enrolment, recovery
codes, and an admin's reset (the rules are in knowledge.staff.second_factor).

After a right password, a person who needs a second step gets only a pending
session, in its own short-lived cookie (``PENDING_COOKIE``, HttpOnly,
SameSite=Strict, 10 minutes): it opens these pages and nothing else, because
:func:`knowledge.staff.accounts.resume_session` refuses pending sessions.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, Response
from sqlmodel import Session

from api.admin.bad_input import DbId
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    LOGIN_PATH,
    AdminPageError,
    CsrfAdminDep,
    CsrfEditorDep,
    clear_session_cookie,
    client_address,
    csrf_failure,
    secure_cookies,
    set_session_cookie,
)
from api.deps import SessionDep, SettingsDep
from api.settings import Settings
from knowledge.staff import audit
from knowledge.staff import second_factor as factor
from knowledge.staff.accounts import SignedIn, resume_session
from knowledge.staff.tables import AdminUser

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)

PENDING_COOKIE = "navigator_admin_pending"
PAGE = "/admin/two-step"


def safe_next(target: str) -> str:
    """Only local admin paths (as the sign-in form allows)."""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin"


def begin(
    request: Request, session: Session, settings: Settings, user: AdminUser, next_path: str
) -> Response:
    """After a right password for someone who needs a second step: a pending
    session only (any earlier session of this browser ends)."""
    token = factor.start_pending_session(session, user, replacing=request.cookies.get(COOKIE))
    audit.record(session, user.email, "sign_in_password_ok",
                 detail="the two-step code (or enrolment) is still to come",
                 address=client_address(request))
    response = redirect(f"{PAGE}?next={quote(safe_next(next_path))}")
    response.set_cookie(
        PENDING_COOKIE, token, max_age=int(factor.PENDING_TIMEOUT.total_seconds()),
        path="/admin", httponly=True, samesite="strict", secure=secure_cookies(request, settings),
    )
    clear_session_cookie(response, request, settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/admin")
    return response


@dataclass(frozen=True)
class Stage:
    """Who is at the two-step pages: half signed in (``pending``) or fully."""

    signed: SignedIn
    pending: bool


def stage(request: Request, session: SessionDep) -> Stage:
    pending_token = request.cookies.get(PENDING_COOKIE)
    if pending_token:
        found = factor.resume_pending_session(session, pending_token)
        if found is not None:
            return Stage(found, pending=True)
    token = request.cookies.get(COOKIE)
    full = resume_session(session, token) if token else None
    if full is None:
        raise AdminPageError(303, "Sign in", "Sign in to continue.", location=LOGIN_PATH)
    request.state.admin = full  # a full session sees the admin navigation
    return Stage(full, pending=False)


StageDep = Annotated[Stage, Depends(stage)]


async def stage_with_csrf(request: Request, current: StageDep) -> Stage:
    form = await request.form()
    submitted = form.get("csrf_token")
    submitted = submitted if isinstance(submitted, str) else ""
    if not hmac.compare_digest(submitted.encode(), current.signed.session.csrf_token.encode()):
        raise csrf_failure()
    return current


CsrfStageDep = Annotated[Stage, Depends(stage_with_csrf)]


def _page(request: Request, current: Stage, mode: str, status_code: int = 200,
          **context: object) -> Response:
    return render(
        request, "admin/two_step.html",
        {"title": {"code": "Enter your code", "enrol": "Set up two-step sign-in",
                   "status": "Two-step sign-in"}[mode],
         "mode": mode, "pending": current.pending, "required": factor.required(current.signed.user),
         "csrf_token": current.signed.session.csrf_token, "errors": {}, "next": "/admin",
         **context},
        status_code=status_code,
    )


def _enrol_page(request: Request, session: Session, current: Stage, next_path: str,
                errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    user = current.signed.user
    secret = factor.enrolment_secret(session, user)
    uri = factor.provisioning_uri(user, secret)
    return _page(
        request, current, "enrol", status_code, next=next_path, errors=errors or {},
        secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), uri=uri,
        qr_svg=factor.qr_code_svg(uri),
    )


def _throttled(session: Session, user: AdminUser, address: str) -> None:
    if factor.codes_throttled(session, user, address):
        audit.record(session, user.email, "sign_in_code_throttled", address=address)
        raise AdminPageError(
            429, "Too many wrong codes",
            "There have been too many wrong codes for this account, so codes are not being "
            "checked for a while. Wait 15 minutes and try again, or ask an admin to reset "
            "your two-step sign-in.",
        )


@router.get("/two-step")
def two_step_page(
    request: Request, session: SessionDep, current: StageDep, next: str = "/admin"
) -> Response:
    user = current.signed.user
    if not factor.enrolled(user):
        return _enrol_page(request, session, current, safe_next(next))
    if current.pending:
        return _page(request, current, "code", next=safe_next(next))
    return _page(request, current, "status", enrolled_at=user.totp_enrolled_at,
                 codes_left=factor.recovery_codes_left(session, user))


@router.post("/two-step")
def check_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    current: CsrfStageDep,
    code: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/admin",
) -> Response:
    user = current.signed.user
    if not current.pending:
        return redirect("/admin")
    if not factor.enrolled(user):
        return redirect(f"{PAGE}?next={quote(safe_next(next))}")
    address = client_address(request)
    _throttled(session, user, address)
    accepted_by = factor.check_code(session, user, code)
    factor.record_code_attempt(session, user, address, bool(accepted_by))
    if not accepted_by:
        audit.record(session, user.email, "sign_in_code_failed", address=address)
        return _page(
            request, current, "code", 400, next=safe_next(next),
            errors={"code": "Enter the 6-digit code your authenticator app shows now, or one "
                            "of your recovery codes you have not used before."},
        )
    token = factor.complete_sign_in(session, user, request.cookies.get(PENDING_COOKIE, ""))
    audit.record(session, user.email, "sign_in", detail=f"with a {accepted_by}", address=address)
    response = redirect(safe_next(next))
    set_session_cookie(response, request, settings, token)
    response.delete_cookie(PENDING_COOKIE, path="/admin")
    return response


def _show_recovery_codes(request: Request, codes: list[str], next_path: str,
                         enrolled_now: bool) -> Response:
    return render(request, "admin/recovery_codes.html",
                  {"title": "Your recovery codes", "codes": codes, "next": next_path,
                   "enrolled_now": enrolled_now})


@router.post("/two-step/enrol")
def enrol(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    current: CsrfStageDep,
    code: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=500)] = "/admin",
) -> Response:
    user = current.signed.user
    if factor.enrolled(user):
        return redirect(PAGE)
    address = client_address(request)
    _throttled(session, user, address)
    codes = factor.confirm_enrolment(session, user, code)
    factor.record_code_attempt(session, user, address, codes is not None)
    if codes is None:
        return _enrol_page(
            request, session, current, safe_next(next), status_code=400,
            errors={"code": "Enter the 6-digit code your authenticator app shows now for "
                            "this account. If it keeps failing, check the phone's clock."},
        )
    audit.record(session, user.email, "two_step_enrolled", address=address)
    if not current.pending:
        return _show_recovery_codes(request, codes, "/admin/account", enrolled_now=True)
    token = factor.complete_sign_in(session, user, request.cookies.get(PENDING_COOKIE, ""))
    audit.record(session, user.email, "sign_in", detail="after enrolling two-step sign-in",
                 address=address)
    response = _show_recovery_codes(request, codes, safe_next(next), enrolled_now=True)
    set_session_cookie(response, request, settings, token)
    response.delete_cookie(PENDING_COOKIE, path="/admin")
    return response


@router.post("/two-step/recovery-codes")
def renew_recovery_codes(request: Request, session: SessionDep, current: CsrfEditorDep) -> Response:
    if not factor.enrolled(current.user):
        return redirect(PAGE)
    codes = factor.new_recovery_codes(session, current.user)
    audit.record(session, current.user.email, "recovery_codes_renewed",
                 address=client_address(request))
    return _show_recovery_codes(request, codes, PAGE, enrolled_now=False)


@router.post("/users/{user_id}/two-step/reset")
def reset_two_step(
    request: Request, session: SessionDep, current: CsrfAdminDep, user_id: DbId
) -> Response:
    user = session.get(AdminUser, user_id)
    if user is None:
        raise AdminPageError(404, "No such account", f"There is no account {user_id}.")
    was_enrolled = factor.enrolled(user)
    factor.reset(session, user)
    audit.record(session, current.user.email, "two_step_reset", user.email,
                 "was enrolled" if was_enrolled else "was not enrolled",
                 client_address(request))
    return redirect("/admin/users?done=two_step_reset")
