"""The Bradford seed content: services, areas and postcodes a practitioner relies on.

These check what a health visitor would notice if the content were wrong: a
service pointing at an area that does not exist, an unconfirmed phone number
shown as certain, a BD postcode the navigator cannot place, a fact without a
source.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import yaml

from knowledge.content.seed_files import FILES, SEED_DIR, knowledge_from_documents, load_seed
from pathways.model import Knowledge, Service

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Ids the pathway rules refer to (issue 2 and the engine's rules.yaml).
REQUIRED_SERVICE_IDS = {
    "lmm-consultation", "lmm-clinical", "lmm-training", "moments-that-matter",
    "health-visiting", "midwifery-bradford", "midwifery-airedale",
    "maternity-assessment-centre", "family-hubs", "welcome-to-the-world",
    "infant-feeding", "talking-together", "incredible-years-toddler", "henry",
    "stop-smoking", "specialist-perinatal-mh", "first-response", "talking-therapies",
    "perinatal-support-service", "early-help", "childrens-social-care", "staying-put",
    "national-da-helpline", "housing-options", "substance-misuse", "home-start",
    "baby-steps", "doula-project", "emergency-999", "gp", "family-nurse-partnership",
    "esol-pregnancy", "leeds-la", "calderdale-la", "kirklees-la", "north-yorkshire-la",
    "wakefield-la",
}

# Entries that state nothing local, so have no source to cite.
GENERIC_IDS = {"emergency-999", "gp"}

UK_PHONE = re.compile(r"^(0\d{2,4} ?\d{3,4} ?\d{3,4}|999|111)$")


def _read(kind: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((SEED_DIR / FILES[kind]).read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{FILES[kind]} must be a list of entries"
    return data


def content_knowledge() -> Knowledge:
    """The seed's services, areas and postcodes as a Knowledge, without the
    engine's concerns and rules, so content checks do not depend on them."""
    documents = {kind: _read(kind) for kind in ("services", "areas", "postcodes")}
    return knowledge_from_documents(documents | {"concerns": [], "rules": []}, version=0)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return content_knowledge()


def _is_generic(service: Service) -> bool:
    return service.id in GENERIC_IDS or service.id.endswith("-la")


def test_the_full_seed_loads_with_the_engines_concerns_and_rules() -> None:
    engine_files = (FILES["concerns"], FILES["rules"])
    missing = [name for name in engine_files if not (SEED_DIR / name).exists()]
    if missing:
        message = f"{', '.join(missing)} not written yet (the engine's files)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    seed = load_seed()
    assert set(seed.services) == set(content_knowledge().services)


def test_no_duplicate_ids_or_prefixes() -> None:
    # Loading keys entries by id, so a duplicate would silently replace another.
    for kind, key in (("services", "id"), ("areas", "code"), ("postcodes", "prefix")):
        keys = [entry[key] for entry in _read(kind)]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"duplicate {key} in {FILES[kind]}: {duplicates}"


def test_at_least_25_services_including_every_id_the_rules_use(knowledge: Knowledge) -> None:
    assert len(knowledge.services) >= 25
    assert set(knowledge.services) >= REQUIRED_SERVICE_IDS, (
        f"missing: {sorted(REQUIRED_SERVICE_IDS - set(knowledge.services))}"
    )


def test_all_three_circles_of_the_system_map_are_present(knowledge: Knowledge) -> None:
    circles = {service.circle for service in knowledge.services.values()}
    assert circles == {"core", "universal", "risk_factor"}
    core = {s.id for s in knowledge.services.values() if s.circle == "core"}
    assert {"lmm-consultation", "lmm-clinical", "lmm-training"} <= core


def test_every_service_area_exists(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        unknown = set(service.areas) - set(knowledge.areas)
        assert not unknown, f"{service.id} refers to unknown areas {sorted(unknown)}"


def test_every_enclosing_area_exists(knowledge: Knowledge) -> None:
    for area in knowledge.areas.values():
        assert area.within is None or area.within in knowledge.areas, area.code


def test_every_postcode_mapping_names_known_areas_and_says_something(knowledge: Knowledge) -> None:
    for mapping in knowledge.postcodes.values():
        named = set(mapping.areas) | set(mapping.partial_areas)
        assert named, f"{mapping.prefix} maps to no area at all"
        unknown = named - set(knowledge.areas)
        assert not unknown, f"{mapping.prefix} refers to unknown areas {sorted(unknown)}"
        assert not set(mapping.areas) & set(mapping.partial_areas), (
            f"{mapping.prefix} lists an area as both whole and partial"
        )


def test_split_prefixes_explain_themselves(knowledge: Knowledge) -> None:
    for mapping in knowledge.postcodes.values():
        if mapping.partial_areas:
            assert mapping.note, f"{mapping.prefix} is split but has no note saying why"


def test_every_sector_belongs_to_a_mapped_district(knowledge: Knowledge) -> None:
    for prefix in knowledge.postcodes:
        if " " in prefix:
            assert prefix.split(" ")[0] in knowledge.postcodes, prefix


def test_every_bd_district_and_ls29_is_mapped(knowledge: Knowledge) -> None:
    wanted = {f"BD{n}" for n in range(1, 25)} | {"LS29"}
    unmapped = wanted - set(knowledge.postcodes)
    assert not unmapped, f"unmapped: {sorted(unmapped)}"


def test_neighbouring_districts_are_mapped(knowledge: Knowledge) -> None:
    wanted = (
        {f"LS{n}" for n in range(1, 29)}
        | {f"HX{n}" for n in range(1, 8)}
        | {f"HD{n}" for n in range(1, 10)}
        | {f"WF{n}" for n in range(1, 18)}
    )
    unmapped = wanted - set(knowledge.postcodes)
    assert not unmapped, f"unmapped: {sorted(unmapped)}"


def _where(knowledge: Knowledge, prefix: str) -> tuple[set[str], set[str]]:
    mapping = knowledge.postcodes[prefix]
    return set(mapping.areas), set(mapping.partial_areas)


@pytest.mark.parametrize("prefix", ["BD1", "BD5", "BD8", "BD9", "BD18", "BD21", "LS29"])
def test_places_wholly_in_bradford_are_certain(knowledge: Knowledge, prefix: str) -> None:
    whole, _ = _where(knowledge, prefix)
    assert "bradford_district" in whole


@pytest.mark.parametrize(
    ("prefix", "also"),
    [("BD2", "leeds"), ("BD3", "leeds"), ("BD4", "leeds"), ("BD4", "kirklees"),
     ("BD20", "north_yorkshire"), ("BD22", "craven"), ("BD3 7", "leeds")],
)
def test_split_districts_are_not_claimed_for_bradford(
    knowledge: Knowledge, prefix: str, also: str
) -> None:
    whole, partial = _where(knowledge, prefix)
    assert "bradford_district" not in whole
    assert {"bradford_district", also} <= partial


@pytest.mark.parametrize(
    ("prefix", "area"),
    [("BD19", "kirklees"), ("BD23", "north_yorkshire"), ("BD23", "craven"), ("BD24", "craven"),
     ("LS1", "leeds"), ("LS28", "leeds"), ("HX1", "calderdale"), ("HD1", "kirklees"),
     ("HD6", "calderdale"), ("WF1", "wakefield"), ("WF13", "kirklees"), ("WF17", "kirklees")],
)
def test_places_outside_bradford_are_mapped_to_their_own_authority(
    knowledge: Knowledge, prefix: str, area: str
) -> None:
    whole, partial = _where(knowledge, prefix)
    assert area in whole
    assert "bradford_district" not in whole | partial


def test_better_start_bradford_membership_is_never_claimed_from_a_postcode_prefix(
    knowledge: Knowledge,
) -> None:
    # The BSB wards are only parts of BD3, BD4 and BD5: a prefix cannot say a
    # family is inside them, only that they might be.
    for mapping in knowledge.postcodes.values():
        assert "bsb_area" not in mapping.areas, mapping.prefix
    for district in ("BD3", "BD4", "BD5"):
        assert "bsb_area" in knowledge.postcodes[district].partial_areas


def test_neighbouring_authorities_carry_their_ons_codes(knowledge: Knowledge) -> None:
    authorities = ("bradford_district", "leeds", "calderdale", "kirklees", "wakefield",
                   "north_yorkshire")
    codes = {code: knowledge.areas[code].la_codes for code in authorities}
    assert codes == {
        "bradford_district": ("E08000032",), "leeds": ("E08000035",), "calderdale": ("E08000033",),
        "kirklees": ("E08000034",), "wakefield": ("E08000036",), "north_yorkshire": ("E06000065",),
    }
    assert knowledge.areas["bsb_area"].within == "bradford_district"
    assert knowledge.areas["craven"].within == "north_yorkshire"


def test_every_sourced_service_cites_its_sources(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        if _is_generic(service):
            continue
        if not service.sources:
            # The only other source-less entry allowed is one that says so.
            says_why = "source notes" in (service.verification_note or "")
            assert service.needs_verification and says_why, (
                f"{service.id} has no sources and does not say why"
            )


def test_source_links_are_web_addresses(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        for source in service.sources:
            if "://" in source:
                assert source.startswith("https://") and " " not in source, (service.id, source)


def test_every_service_says_when_it_was_last_checked(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        assert service.last_verified.year >= 2025, service.id


def test_flagged_services_say_what_needs_confirming(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        if service.needs_verification:
            note = service.verification_note or ""
            assert note.startswith("to be confirmed by LMM staff"), service.id


def test_uncertain_contact_numbers_are_flagged(knowledge: Knowledge) -> None:
    social_care = knowledge.services["childrens-social-care"].contact
    assert social_care.phone == "01274 435600"
    assert social_care.phone_uncertain
    # The other published numbers, and the out-of-hours team, are shown alongside.
    assert all(number in (social_care.phone_note or "") for number in
               ("01274 433999", "01274 431010", "01274 437500"))
    mac = knowledge.services["maternity-assessment-centre"].contact
    assert mac.phone_uncertain and mac.phone_note
    early_help = knowledge.services["early-help"].contact
    assert early_help.phone_uncertain


def test_every_uncertain_number_has_a_note_and_a_flagged_service(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        if service.contact.phone_uncertain:
            assert service.contact.phone_note, service.id
            assert service.needs_verification, service.id


def test_crisis_numbers_from_the_source_notes(knowledge: Knowledge) -> None:
    expected = {
        "first-response": "0800 952 1181",
        "national-da-helpline": "0808 2000 247",
        "staying-put": "0808 2800 999",
        "housing-options": "01274 435999",
        "emergency-999": "999",
    }
    for service_id, phone in expected.items():
        contact = knowledge.services[service_id].contact
        assert contact.phone == phone and not contact.phone_uncertain, service_id


def test_phone_numbers_look_like_uk_numbers(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        if service.contact.phone is not None:
            assert UK_PHONE.match(service.contact.phone), (service.id, service.contact.phone)


def test_lmm_is_for_pregnancy_to_the_second_birthday_in_bradford(knowledge: Knowledge) -> None:
    for service_id in ("lmm-consultation", "lmm-clinical"):
        lmm = knowledge.services[service_id]
        assert lmm.ages.pregnancy and lmm.ages.postnatal
        assert lmm.ages.from_months == 0 and lmm.ages.to_months == 24
        assert lmm.areas == ("bradford_district",)
        assert lmm.needs_verification  # the area and how to refer are UNCERTAIN
    clinical = knowledge.services["lmm-clinical"]
    assert any("Video Interaction Guidance" in line for line in clinical.does)
    assert any("crisis" in line.lower() for line in clinical.does_not)
    assert any("aged 2 or over" in line for line in clinical.does_not)


def test_specialist_perinatal_service_ends_at_the_first_birthday_and_covers_craven(
    knowledge: Knowledge,
) -> None:
    service = knowledge.services["specialist-perinatal-mh"]
    assert service.ages.pregnancy and service.ages.to_months == 12
    assert set(service.areas) == {"bradford_district", "craven"}
    assert service.referrers == ("professional",)


def test_programmes_limited_to_the_better_start_bradford_wards(knowledge: Knowledge) -> None:
    toddler = knowledge.services["incredible-years-toddler"]
    ages = toddler.ages
    assert (ages.pregnancy, ages.from_months, ages.to_months) == (False, 12, 36)
    assert toddler.areas == ("bsb_area",)
    talking = knowledge.services["talking-together"]
    assert talking.areas == ("bsb_area",) and not talking.ages.pregnancy
    assert knowledge.services["perinatal-support-service"].ages.to_months == 12


def test_national_services_cover_the_whole_uk(knowledge: Knowledge) -> None:
    for service_id in ("emergency-999", "national-da-helpline"):
        assert knowledge.services[service_id].areas == ("united_kingdom",)


def test_ended_programmes_are_marked_closed(knowledge: Knowledge) -> None:
    for service_id in ("family-nurse-partnership", "esol-pregnancy"):
        assert knowledge.services[service_id].status == "closed"


def test_every_neighbouring_authority_has_a_contact_your_own_services_entry(
    knowledge: Knowledge,
) -> None:
    for area in ("leeds", "calderdale", "kirklees", "wakefield", "north_yorkshire"):
        entries = [
            s for s in knowledge.services.values() if s.id.endswith("-la") and area in s.areas
        ]
        assert entries, f"no entry for families living in {area}"


def test_remits_are_written_out(knowledge: Knowledge) -> None:
    for service in knowledge.services.values():
        assert service.does and all(line.strip() for line in service.does), service.id
        if service.status == "active" and not _is_generic(service):
            assert service.does_not, f"{service.id} says nothing about what it does not do"



def test_publishing_refuses_a_number_typed_into_prose(knowledge: Knowledge) -> None:
    from datetime import date

    from knowledge.content.publish import check_knowledge

    service = knowledge.services["family-hubs"]
    typed = service.model_copy(update={"how_to_refer": "Phone the hub on 01274 000000."})
    draft = knowledge.model_copy(update={"services": {**knowledge.services, service.id: typed}})
    failures = check_knowledge(draft, date(2026, 1, 15), []).failures
    assert failures == (
        "Service family-hubs how_to_refer has a phone number written in it (01274 000000): "
        "write {phone:<service id>} instead, so the number comes from the service's record.",
    )
    assert check_knowledge(knowledge, date(2026, 1, 15), []).ok


def test_lmm_names_both_providers_and_moments_that_matter_is_flagged(
    knowledge: Knowledge,
) -> None:
    for service_id in ("lmm-consultation", "lmm-clinical", "lmm-training", "moments-that-matter"):
        provider = knowledge.services[service_id].provider
        assert "Bradford District Care NHS Foundation Trust" in provider, service_id
        assert "Family Action" in provider, service_id
    moments = knowledge.services["moments-that-matter"]
    assert moments.needs_verification
    assert "May 2024" in (moments.verification_note or "")
    assert any("May 2024" in source for source in moments.sources)


def test_no_rule_claims_family_hubs_serve_any_age(knowledge: Knowledge) -> None:
    assert "to be confirmed" in (knowledge.services["family-hubs"].verification_note or "")
    for rule in knowledge.rules:
        for text in (rule.outcome.headline, *rule.outcome.next_steps):
            assert "any age" not in text or "Family Hubs" not in text, rule.id
