"""Managing staff accounts (admins only), and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from api.admin.bad_input import DbId
from api.admin.pages import AdminRoute, redirect, render
from api.admin.security import AdminDep, AdminPageError, CsrfAdminDep, client_address
from api.deps import SessionDep
from knowledge.staff import audit
from knowledge.staff.accounts import (
    AccountError,
    create_user,
    end_all_sessions,
    list_users,
    set_password,
)
from knowledge.staff.tables import ROLES, AdminUser

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False, route_class=AdminRoute)

NOTICES = {
    "created": "The account was created.",
    "updated": "The account was updated. The person has been signed out everywhere.",
    "signed_out": "The person has been signed out everywhere.",
    "two_step_reset": "Their two-step sign-in was reset and they have been signed out "
                      "everywhere. Publishers and admins set it up again when they next sign in.",
}


def _users_page(request: Request, session: SessionDep, errors: dict[str, str] | None = None,
                values: dict[str, str] | None = None, status_code: int = 200,
                notice: str = "") -> Response:
    return render(
        request, "admin/users.html",
        {"title": "Accounts", "users": list_users(session), "roles": ROLES,
         "errors": errors or {}, "values": values or {}, "notice": notice},
        status_code=status_code,
    )


def _user(session: SessionDep, user_id: int) -> AdminUser:
    user = session.get(AdminUser, user_id)
    if user is None:
        raise AdminPageError(404, "No such account", f"There is no account {user_id}.")
    return user


@router.get("/users")
def users_page(request: Request, session: SessionDep, _: AdminDep, done: str = "") -> Response:
    return _users_page(request, session, notice=NOTICES.get(done, ""))


@router.post("/users")
def add_user(
    request: Request,
    session: SessionDep,
    current: CsrfAdminDep,
    email: Annotated[str, Form(max_length=254)] = "",
    name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=16)] = "editor",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        user = create_user(session, email, name, role, password)
    except AccountError as exc:
        field = "password" if "assword" in str(exc) else "email"
        return _users_page(request, session, {field: str(exc)},
                           {"email": email, "name": name, "role": role}, status_code=400)
    audit.record(session, current.user.email, "account_created", user.email,
                       f"role {user.role}", client_address(request))
    return redirect("/admin/users?done=created")


@router.post("/users/{user_id}")
def update_user(
    request: Request,
    session: SessionDep,
    current: CsrfAdminDep,
    user_id: DbId,
    role: Annotated[str, Form(max_length=16)] = "",
    active: Annotated[str, Form(max_length=3)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    user = _user(session, user_id)
    if user.id == current.user.id and (role != user.role or active != "yes"):
        raise AdminPageError(409, "You cannot change your own role",
                             "Ask another admin to change your role or deactivate your account, "
                             "so there is always an admin who can sign in.")
    if role not in ROLES:
        raise AdminPageError(400, "Choose a role", f"Role must be one of: {', '.join(ROLES)}.")
    changes = []
    if role != user.role:
        changes.append(f"role {user.role} → {role}")
        user.role = role
    if (active == "yes") != user.active:
        user.active = active == "yes"
        changes.append("activated" if user.active else "deactivated")
    if password:
        try:
            set_password(session, user, password)
        except AccountError as exc:
            return _users_page(request, session, {f"password-{user.id}": str(exc)},
                               status_code=400)
        changes.append("password reset")
    session.add(user)
    session.commit()
    end_all_sessions(session, user)
    audit.record(session, current.user.email, "account_changed", user.email,
                       ", ".join(changes) or "no change", client_address(request))
    return redirect("/admin/users?done=updated")


@router.post("/users/{user_id}/sign-out")
def sign_out_user(
    request: Request, session: SessionDep, current: CsrfAdminDep, user_id: DbId
) -> Response:
    user = _user(session, user_id)
    end_all_sessions(session, user)
    audit.record(session, current.user.email, "account_signed_out", user.email,
                       address=client_address(request))
    return redirect("/admin/users?done=signed_out")


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, _: AdminDep, action: str = "") -> Response:
    return render(
        request, "admin/audit.html",
        {"title": "Audit log", "entries": audit.recent(session, 500, action or None),
         "action": action},
    )
