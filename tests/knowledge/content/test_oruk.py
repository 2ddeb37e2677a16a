"""Open Referral UK export: every seed service validates against the published
UK profile schemas, and the fields a directory shows to families are right.

The schemas are the Open Referral UK profile files vendored in
``knowledge/content/oruk_profile/`` (``ORUK_SCHEMA_DIR`` overrides). Outside CI
a missing folder skips these tests with the reason; in CI it fails the run.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError

from knowledge.content.oruk import (
    CIRCLES,
    CONCERNS,
    NAMESPACE,
    ServiceFilter,
    filter_services,
    find_service,
    organization_id_for,
    service_id_for,
    service_list_page,
    service_to_oruk,
    taxonomy_id_for,
    taxonomy_records,
    taxonomy_term_id_for,
    taxonomy_terms,
)
from knowledge.content.seed_files import load_seed
from pathways.contacts import render
from pathways.model import Knowledge
from tests.knowledge.content.test_seed_content import content_knowledge
from tests.support.oruk_schemas import PAGE_KEYS, Validate, oruk_validators


@pytest.fixture(scope="module")
def validators() -> dict[str, Validate]:
    return oruk_validators()


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return content_knowledge()


def test_every_seed_service_validates_against_the_uk_profile(
    knowledge: Knowledge, validators: dict[str, Validate]
) -> None:
    for service in knowledge.services.values():
        validators["service"](service_to_oruk(service, knowledge))


def test_every_page_validates_and_together_the_pages_hold_every_service_once(
    knowledge: Knowledge, validators: dict[str, Validate]
) -> None:
    services = list(knowledge.services.values())
    seen: list[str] = []
    page_number = 1
    while True:
        page = service_list_page(services, knowledge, page_number, 7)
        validators["page"](page)
        assert set(page) == PAGE_KEYS
        for item in page["contents"]:
            validators["service_list"](item)
        seen += [item["id"] for item in page["contents"]]
        if page["last_page"]:
            break
        page_number += 1
    assert sorted(seen) == sorted(service_id_for(s.id) for s in services)
    assert page_number == page["total_pages"]


def test_the_validators_reject_what_the_profile_forbids(
    knowledge: Knowledge, validators: dict[str, Validate]
) -> None:
    # Guards the test set-up itself: a record the schema forbids must fail.
    good = service_to_oruk(knowledge.services["lmm-clinical"], knowledge)
    for broken in (
        {**good, "id": "lmm-clinical"},                      # not a UUID
        {**good, "status": "closed"},                        # not an HSDS status
        {**good, "url": "bdct.nhs.uk/services"},             # not an absolute URI
        {**good, "minimum_age": "0"},                        # ages are numbers
        {key: value for key, value in good.items() if key != "name"},
    ):
        with pytest.raises(ValidationError):
            validators["service"](broken)
    page = service_list_page(list(knowledge.services.values()), knowledge, 1, 5)
    with pytest.raises(ValidationError):
        validators["page"]({**page, "total_items": "40"})
    with pytest.raises(ValidationError):
        validators["page"]({**page, "contents": [{"id": "x", "name": "n", "status": "active"}]})


def test_ids_are_stable_uuids() -> None:
    # Other directories store these ids: they must never change.
    assert uuid.UUID("6f1d3c0e-5b8a-4e61-9a52-2f7c1b0d4e93") == NAMESPACE
    assert service_id_for("lmm-clinical") == "0237cda1-baca-5e28-bf59-a9b41592475e"
    assert service_id_for("lmm-clinical") == service_id_for("lmm-clinical")
    assert uuid.UUID(service_id_for("gp")).version == 5
    assert organization_id_for("Barnardo's") != organization_id_for("Family Action")


def test_ids_are_unique_across_services_and_their_parts(knowledge: Knowledge) -> None:
    ids: list[str] = []
    for service in knowledge.services.values():
        record = service_to_oruk(service, knowledge)
        ids.append(record["id"])
        for many in ("service_areas", "phones", "schedules"):
            ids += [part["id"] for part in record[many]]
            assert all(part["service_id"] == record["id"] for part in record[many])
    assert len(ids) == len(set(ids))


def test_services_of_one_provider_share_one_organisation(knowledge: Knowledge) -> None:
    consultation = service_to_oruk(knowledge.services["lmm-consultation"], knowledge)
    clinical = service_to_oruk(knowledge.services["lmm-clinical"], knowledge)
    assert consultation["organization"] == clinical["organization"]
    assert consultation["organization_id"] == consultation["organization"]["id"]


def test_reverse_lookup_finds_the_service_from_its_uuid(knowledge: Knowledge) -> None:
    oruk_id = service_id_for("first-response")
    found = find_service(oruk_id, knowledge)
    assert found is not None and found.id == "first-response"
    assert find_service(oruk_id.upper(), knowledge) == found
    assert find_service("{" + oruk_id + "}", knowledge) == found
    assert find_service("first-response", knowledge) is None
    assert find_service(str(uuid.uuid4()), knowledge) is None
    assert find_service("", knowledge) is None


@pytest.mark.parametrize(
    ("service_id", "minimum", "maximum", "detail"),
    [
        ("lmm-clinical", 0, 2, "From pregnancy until the child's second birthday (24 months)."),
        ("incredible-years-toddler", 1, 3, "From 12 months old until the child's third birthday"),
        ("specialist-perinatal-mh", 0, 1, "until the child's first birthday (12 months)."),
        ("maternity-assessment-centre", 0, 0, "In pregnancy only"),
        ("first-response", 0, None, "with no upper age limit"),
    ],
)
def test_ages_are_in_years_with_the_baby_detail_in_the_eligibility(
    knowledge: Knowledge, service_id: str, minimum: int, maximum: int | None, detail: str
) -> None:
    record = service_to_oruk(knowledge.services[service_id], knowledge)
    assert record["minimum_age"] == minimum
    assert record.get("maximum_age") == maximum
    assert detail in record["eligibility_description"]
    assert knowledge.services[service_id].eligibility in record["eligibility_description"]


def test_status_maps_onto_hsds(knowledge: Knowledge) -> None:
    closed = service_to_oruk(knowledge.services["family-nurse-partnership"], knowledge)
    assert closed["status"] == "defunct"
    running = service_to_oruk(knowledge.services["first-response"], knowledge)
    assert running["status"] == "active" and "alert" not in running
    unsure = service_to_oruk(knowledge.services["talking-together"], knowledge)
    assert unsure["status"] == "active"
    assert "still running is unconfirmed" in unsure["alert"]


def test_unconfirmed_details_are_flagged_to_the_reader(knowledge: Knowledge) -> None:
    record = service_to_oruk(knowledge.services["childrens-social-care"], knowledge)
    assert "To be confirmed by LMM staff" in record["alert"]
    (phone,) = record["phones"]
    assert phone["number"] == "01274 435600"
    assert "could not be confirmed" in phone["description"]
    assert "01274 431010" in phone["description"]  # the out-of-hours team


def test_contacts_remit_and_referral_route_are_exported(knowledge: Knowledge) -> None:
    service = knowledge.services["first-response"]
    record = service_to_oruk(service, knowledge)
    assert record["url"] == "https://bdct.nhs.uk/services/first-response"
    assert record["phones"][0]["number"] == "0800 952 1181"
    assert record["schedules"][0]["description"] == service.contact.hours
    assert all(line in record["description"] for line in service.does + service.does_not)
    # Contact placeholders in the prose are filled from the records.
    assert record["application_process"].startswith(render(service.how_to_refer, knowledge))
    assert record["application_process"].startswith("Phone 0800 952 1181, any time.")
    assert record["assured_date"] == "2026-01-31"
    assert date.fromisoformat(record["assured_date"]) == service.last_verified
    renamed = service_to_oruk(knowledge.services["talking-therapies"], knowledge)
    assert "MyWellbeing IAPT" in renamed["alternate_name"]


def test_service_areas_name_the_areas_with_ons_codes(knowledge: Knowledge) -> None:
    record = service_to_oruk(knowledge.services["specialist-perinatal-mh"], knowledge)
    names = {area["name"] for area in record["service_areas"]}
    assert names == {"Bradford District", "Craven"}
    bradford = next(a for a in record["service_areas"] if a["name"] == "Bradford District")
    assert bradford["uri"].endswith("/E08000032")
    national = service_to_oruk(knowledge.services["emergency-999"], knowledge)
    assert [a["name"] for a in national["service_areas"]] == ["United Kingdom"]


def test_list_entries_hold_only_one_to_one_fields(knowledge: Knowledge) -> None:
    page = service_list_page(list(knowledge.services.values()), knowledge, 1, 3)
    for item in page["contents"]:
        assert not any(isinstance(value, list) for value in item.values())
        assert item["organization"]["name"]


def test_paging_counts_and_edges(knowledge: Knowledge) -> None:
    services = list(knowledge.services.values())
    total = len(services)
    first = service_list_page(services, knowledge, 1, 10)
    assert (first["total_items"], first["page_number"], first["size"]) == (total, 1, 10)
    assert first["total_pages"] == -(-total // 10)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    last = service_list_page(services, knowledge, first["total_pages"], 10)
    assert last["last_page"] and last["size"] == total - 10 * (first["total_pages"] - 1)
    beyond = service_list_page(services, knowledge, first["total_pages"] + 1, 10)
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    nothing = service_list_page([], knowledge, 1, 10)
    assert nothing["total_items"] == 0 and nothing["empty"] and nothing["last_page"]


@pytest.mark.parametrize(
    ("page", "per_page", "named"), [(0, 10, "page"), (-3, 10, "page"), (1, 0, "per_page")]
)
def test_bad_paging_is_refused_with_a_message_naming_the_field(
    knowledge: Knowledge, page: int, per_page: int, named: str
) -> None:
    with pytest.raises(ValueError, match=rf"^{named} must be a whole number from 1 upwards"):
        service_list_page(list(knowledge.services.values()), knowledge, page, per_page)


@pytest.fixture(scope="module")
def full_knowledge() -> Knowledge:
    """The whole seed, concerns included (the taxonomies are made from them)."""
    return load_seed()


def test_every_taxonomy_and_term_validates_and_ids_never_change(
    full_knowledge: Knowledge, validators: dict[str, Validate]
) -> None:
    for taxonomy in taxonomy_records(full_knowledge, with_terms=True):
        validators["/taxonomies/{id}"](taxonomy)
    terms = taxonomy_terms(full_knowledge)
    for term in terms:
        validators["/taxonomy_terms/{id}"](term)
    assert len({t["id"] for t in terms}) == len(terms) == len(full_knowledge.concerns) + 3 + 3
    # derived from the codes with the fixed namespace: pinned so a change shows
    assert taxonomy_term_id_for(CONCERNS, "bonding") == str(
        uuid.uuid5(NAMESPACE, "taxonomy_term/concerns/bonding")
    )
    assert taxonomy_id_for(CIRCLES) == "ee6d9563-daaf-53a4-82e8-e8752cd562bc"


def test_filters_keep_only_what_they_name(full_knowledge: Knowledge) -> None:
    services = list(full_knowledge.services.values())

    def kept(**wanted: Any) -> set[str]:
        return {s.id for s in filter_services(services, full_knowledge, ServiceFilter(**wanted))}

    assert kept() == set(full_knowledge.services)
    # a term id that is not a UUID matches no service, never every service
    assert kept(taxonomy_term_id="nonsense") == set()
    assert kept(taxonomy_id="nonsense") == set()
    bonding = kept(taxonomy_term_id=taxonomy_term_id_for(CONCERNS, "bonding"))
    assert bonding == set(full_knowledge.concerns["bonding"].services)
    red_flags = taxonomy_term_id_for(CONCERNS, "group/red_flag")
    assert "emergency-999" in kept(taxonomy_term_id=red_flags)
    assert kept(search="   ") == set(full_knowledge.services)
    assert "infant-feeding" in kept(search="Breastfeeding")
    assert "health-visiting" not in kept(maximum_age=2)
    assert "health-visiting" not in kept(minimum_age=0.5)
