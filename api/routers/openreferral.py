"""An Open Referral UK (HSDS UK profile) view of the published services.

Every path the profile's openapi.json names (vendored in
``knowledge/content/oruk_profile/``), under ``/openreferral``: the api's
description, services (with the profile's filters), taxonomies, taxonomy
terms and service-at-locations. The records come from
:mod:`knowledge.content.oruk`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from api.deps import KnowledgeDep
from api.errors import ErrorBody, FieldError
from knowledge.content.oruk import (
    CONCERNS,
    ServiceFilter,
    api_info,
    filter_services,
    find_service,
    find_taxonomy,
    find_taxonomy_term,
    records_page,
    service_id_for,
    service_list_page,
    service_to_oruk,
    taxonomy_id_for,
    taxonomy_records,
    taxonomy_term_id_for,
    taxonomy_terms,
)
from pathways.eligibility import LMM_SERVICE_ID

router = APIRouter(prefix="/openreferral", tags=["open referral uk"])

NOT_FOUND = "No record has that id"
ID_LIMIT = 100  # longer than any spelling of a UUID


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int


def paging(
    page: int = Query(default=1, ge=1, le=1_000_000,
                      description="Page number, from 1; a page past the end is empty"),
    per_page: int = Query(default=50, ge=1, le=200, description="Records on a page"),
) -> Paging:
    return Paging(page, per_page)


def service_filter(
    search: str | None = Query(
        default=None, max_length=200,
        description="Words that must all appear (any case) in the service's name, a former "
        "name or its description", examples=["feeding"],
    ),
    taxonomy_term_id: str | None = Query(
        default=None, max_length=ID_LIMIT,
        description="Services carrying this taxonomy term, or a term under it (a concern "
        "group finds the services of its concerns)",
        examples=[taxonomy_term_id_for(CONCERNS, "bonding")],
    ),
    taxonomy_id: str | None = Query(
        default=None, max_length=ID_LIMIT,
        description="Services carrying any term of this taxonomy",
        examples=[taxonomy_id_for(CONCERNS)],
    ),
    minimum_age: float | None = Query(
        default=None, ge=0, le=150, allow_inf_nan=False,
        description="In years: services whose minimum_age is at least this",
    ),
    maximum_age: float | None = Query(
        default=None, ge=0, le=150, allow_inf_nan=False,
        description="In years: services whose maximum_age is at most this (services with no "
        "upper age limit are left out)",
    ),
) -> ServiceFilter:
    return ServiceFilter(search, taxonomy_term_id, taxonomy_id, minimum_age, maximum_age)


PagingDep = Annotated[Paging, Depends(paging)]
ServiceFilterDep = Annotated[ServiceFilter, Depends(service_filter)]


def _not_found(kind: str, given: str) -> FieldError:
    return FieldError("id", f'There is no {kind} with id "{given[:64]}".', status_code=404)


@router.get("/", summary="This api's HSDS version and Open Referral UK profile")
def oruk_api_info() -> dict[str, str]:
    return api_info()


@router.get("/services", summary="Services as Open Referral UK records, paged and filtered")
def list_oruk_services(
    knowledge: KnowledgeDep, paged: PagingDep, wanted: ServiceFilterDep
) -> dict[str, Any]:
    services = filter_services(list(knowledge.services.values()), knowledge, wanted)
    return service_list_page(services, knowledge, paged.page, paged.per_page)


@router.get(
    "/services/{id}",
    summary="One service as an Open Referral UK record",
    responses={404: {"model": ErrorBody, "description": "No service has that id"}},
)
def get_oruk_service(
    knowledge: KnowledgeDep,
    id: str = Path(examples=[service_id_for(LMM_SERVICE_ID)], description="A service's id"),
) -> dict[str, Any]:
    service = find_service(id, knowledge)
    if service is None:
        raise _not_found("service", id)
    return service_to_oruk(service, knowledge)


@router.get("/taxonomies", summary="The taxonomies services are classified by, paged")
def list_oruk_taxonomies(knowledge: KnowledgeDep, paged: PagingDep) -> dict[str, Any]:
    return records_page(taxonomy_records(knowledge), paged.page, paged.per_page)


@router.get(
    "/taxonomies/{id}",
    summary="One taxonomy, with its terms",
    responses={404: {"model": ErrorBody, "description": NOT_FOUND}},
)
def get_oruk_taxonomy(
    knowledge: KnowledgeDep,
    id: str = Path(examples=[taxonomy_id_for(CONCERNS)], description="A taxonomy's id"),
) -> dict[str, Any]:
    taxonomy = find_taxonomy(id, knowledge)
    if taxonomy is None:
        raise _not_found("taxonomy", id)
    return taxonomy


@router.get("/taxonomy_terms", summary="Every taxonomy term (concerns, their groups, circles)")
def list_oruk_taxonomy_terms(knowledge: KnowledgeDep, paged: PagingDep) -> dict[str, Any]:
    return records_page(taxonomy_terms(knowledge), paged.page, paged.per_page)


@router.get(
    "/taxonomy_terms/{id}",
    summary="One taxonomy term",
    responses={404: {"model": ErrorBody, "description": NOT_FOUND}},
)
def get_oruk_taxonomy_term(
    knowledge: KnowledgeDep,
    id: str = Path(examples=[taxonomy_term_id_for(CONCERNS, "bonding")],
                   description="A taxonomy term's id"),
) -> dict[str, Any]:
    term = find_taxonomy_term(id, knowledge)
    if term is None:
        raise _not_found("taxonomy term", id)
    return term


@router.get(
    "/service_at_locations",
    summary="Services at their locations, paged: empty, as no service has an address here",
    description="The knowledge records the areas a service covers (in each service's "
    "service_areas), not addresses, so there are no service_at_location records and every "
    "page is empty. The filters are the same as for /services.",
)
def list_oruk_service_at_locations(paged: PagingDep, wanted: ServiceFilterDep) -> dict[str, Any]:
    return records_page([], paged.page, paged.per_page)


@router.get(
    "/service_at_locations/{id}",
    summary="One service at a location: none exist, so always 404",
    responses={404: {"model": ErrorBody, "description": NOT_FOUND}},
)
def get_oruk_service_at_location(
    id: str = Path(description="A service_at_location's id"),
) -> dict[str, Any]:
    raise _not_found("service at a location", id)
