"""Content management for Little Minds Matter staff, under ``/admin``.

``ADMIN_ROUTERS`` is every admin router, gathered for api.routers.
"""

from fastapi import APIRouter

from api.admin import (
    areas,
    auth,
    concerns,
    dashboard,
    preview,
    rules,
    services,
    transfer,
    two_step,
    usage,
    users,
    versions,
    volunteer,
)

ADMIN_ROUTERS: list[APIRouter] = [
    auth.router,
    dashboard.router,
    services.router,
    concerns.router,
    areas.areas_router,
    areas.postcodes_router,
    rules.router,
    volunteer.router,
    versions.router,
    preview.router,
    usage.router,
    transfer.router,
    users.router,
    two_step.router,
]
