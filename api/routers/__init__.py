"""Every router, gathered in one place; api.main includes them in this order."""

from fastapi import APIRouter

from api.admin import ADMIN_ROUTERS
from api.routers import (
    chat,
    concerns,
    contacts,
    directory,
    docs,
    eligibility,
    health,
    openreferral,
    pages,
    parse,
    postcodes,
    recommendations,
    request,
    services,
)

ALL_ROUTERS: list[APIRouter] = [
    health.router,
    recommendations.router,
    parse.router,
    services.router,
    concerns.router,
    contacts.router,
    postcodes.router,
    openreferral.router,
    chat.router,
    pages.router,
    directory.router,
    request.router,
    eligibility.router,
    docs.router,
    *ADMIN_ROUTERS,
]
