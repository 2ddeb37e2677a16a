"""Contacts in prose come from the service records (pathways/contacts.py):
placeholders filled with the caveat of an uncertain number, literal numbers
and unreadable placeholders refused, and over the seed: no number in prose,
and every uncertain number an answer shows carries its caveat and note."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from pathways.cases import WorkedCase
from pathways.contacts import (
    PHONE_CAVEAT,
    literal_phone_failures,
    literal_phones,
    placeholder_failures,
    render,
)
from pathways.model import Knowledge, Rule
from pathways.recommend import Query, Recommendation, recommend

WORKED_CASES = Path(__file__).parents[2] / "knowledge" / "content" / "worked_cases.yaml"


def _with_rule_step(seed: Knowledge, rule_id: str, step: str) -> Knowledge:
    rules: list[Rule] = []
    for rule in seed.rules:
        if rule.id == rule_id:
            outcome = rule.outcome.model_copy(
                update={"next_steps": (*rule.outcome.next_steps, step)}
            )
            rule = rule.model_copy(update={"outcome": outcome})
        rules.append(rule)
    return seed.model_copy(update={"rules": tuple(rules)})


@pytest.mark.parametrize("text", [
    "Phone 0800 952 1181 now", "ring 01274 435600", "(01274) 435600", "+44 1274 435600",
    "01274-435-600", "07700 900123", "numbers 01274 364531/2 from 2020",
])
def test_a_written_uk_number_is_found(text: str) -> None:
    assert literal_phones(text), text


@pytest.mark.parametrize("text", [
    "call 999", "NHS 111", "0-19 service", "E08000032", "between April 2018 and January 2021",
    "BD3 9LF", "28 courses for 434 staff", "{phone:first-response}",
])
def test_other_numbers_are_not_phone_numbers(text: str) -> None:
    assert not literal_phones(text), text


def test_placeholders_are_filled_from_the_record_with_the_caveat(seed: Knowledge) -> None:
    text = "Call {phone:first-response}; safeguarding {phone:childrens-social-care}; " \
           "see {url:first-response}."
    assert render(text, seed) == (
        "Call 0800 952 1181; safeguarding 01274 435600 " + PHONE_CAVEAT
        + "; see https://bdct.nhs.uk/services/first-response."
    )
    assert render("no placeholders {age}", seed) == "no placeholders {age}"


def test_a_changed_number_reaches_the_prose(seed: Knowledge) -> None:
    service = seed.services["first-response"]
    changed = service.model_copy(update={"contact": service.contact.model_copy(
        update={"phone": "0800 000 0000", "phone_uncertain": True})})
    knowledge = seed.model_copy(update={"services": {**seed.services, "first-response": changed}})
    assert render("{phone:first-response}", knowledge) == f"0800 000 0000 {PHONE_CAVEAT}"


def test_publishing_checks_name_the_record_and_field(seed: Knowledge) -> None:
    typed = _with_rule_step(seed, "R-004", "Phone First Response on 0800 952 1181.")
    failures = literal_phone_failures(typed)
    assert failures == [
        "Rule R-004 next_steps has a phone number written in it (0800 952 1181): write "
        "{phone:<service id>} instead, so the number comes from the service's record."
    ]
    unknown = _with_rule_step(seed, "R-004", "Phone {phone:nobody} or {email:first-response}.")
    assert placeholder_failures(unknown) == [
        "Rule R-004 next_steps refers to {phone:nobody}: there is no service nobody.",
        "Rule R-004 next_steps refers to {email:first-response}: service first-response has "
        "no email.",
    ]
    garbled = _with_rule_step(seed, "R-004", "Phone {phone: first-response}.")
    assert len(placeholder_failures(garbled)) == 1


def test_the_seed_has_no_number_in_prose_and_every_placeholder_resolves(
    seed: Knowledge,
) -> None:
    assert literal_phone_failures(seed) == []
    assert placeholder_failures(seed) == []


def _seed_answers(seed: Knowledge, today: date) -> list[Recommendation]:
    queries = [Query.model_validate(example.facts)
               for rule in seed.rules for example in rule.examples]
    cases = yaml.safe_load(WORKED_CASES.read_text(encoding="utf-8"))
    cases = cases.get("cases", cases) if isinstance(cases, dict) else cases
    queries += [WorkedCase.model_validate(case).query() for case in cases]
    return [recommend(query, seed, today) for query in queries]


def _texts(answer: Recommendation) -> list[str]:
    texts = [answer.headline, *answer.next_steps, *(t.summary for t in answer.trace)]
    for service in answer.services:
        texts += [*service.remit.does, *service.remit.does_not, service.eligibility,
                  service.how_to_refer]
    return texts


def _assert_caveated(answer: Recommendation, seed: Knowledge) -> None:
    uncertain = {s.contact.phone: s for s in seed.services.values()
                 if s.contact.phone and s.contact.phone_uncertain}
    for text in _texts(answer):
        assert "{phone:" not in text and "{url:" not in text, text
        for phone in uncertain:
            for part in text.split(phone)[1:]:
                assert part.startswith(" " + PHONE_CAVEAT), text
    for service in answer.services:
        if service.contact.phone_uncertain:
            assert service.contact.verification_note, service.id


def test_every_uncertain_number_in_a_seed_answer_carries_its_caveat(
    seed: Knowledge, today: date
) -> None:
    answers = _seed_answers(seed, today)
    assert len(answers) > 100
    shown = [s for a in answers for s in a.services if s.contact.phone_uncertain]
    assert shown, "the seed answers list services with uncertain numbers"
    for answer in answers:
        _assert_caveated(answer, seed)


def test_an_uncertain_number_in_a_step_carries_its_caveat_and_note(
    seed: Knowledge, today: date
) -> None:
    knowledge = _with_rule_step(seed, "R-010", "Safeguarding: {phone:childrens-social-care}.")
    answer = recommend(Query(description="not bonding", age="2 years", postcode="BD8"),
                       knowledge, today)
    assert f"Safeguarding: 01274 435600 {PHONE_CAVEAT}." in answer.next_steps
    note = seed.services["childrens-social-care"].verification_note or ""
    assert any(step.endswith(note.strip()) for step in answer.next_steps), answer.next_steps
    _assert_caveated(answer, knowledge)


def test_the_safety_line_caveats_the_front_door_number(seed: Knowledge, today: date) -> None:
    answer = recommend(Query(description="the weather is nice", age="3 months",
                             postcode="BD3 9LF"), seed, today)
    line = next(s for s in answer.next_steps if s.startswith("If anyone is in danger now"))
    assert f"01274 435600 {PHONE_CAVEAT}" in line
    assert any(s.startswith("Children's social care front door (Integrated Front Door): to be "
                            "confirmed") for s in answer.next_steps)


def test_the_services_of_an_answer_carry_the_verification_note(
    seed: Knowledge, today: date
) -> None:
    answer = recommend(Query(description="bruise on 6 week old baby, not mobile",
                             age="6 weeks", postcode="BD3 9LF"), seed, today)
    front_door = next(s for s in answer.services if s.id == "childrens-social-care")
    assert front_door.contact.phone_uncertain
    assert front_door.contact.verification_note == seed.services[
        "childrens-social-care"].verification_note
    crisis = next(s for s in seed.services.values() if s.id == "first-response")
    assert crisis.contact.phone and not crisis.contact.phone_uncertain


def test_the_bots_offline_contacts_file_is_generated_from_the_seed(seed: Knowledge) -> None:
    """bot/actions/offline_contacts.txt is what scripts/offline-contacts.py
    writes from the seed: run it after changing a direct contact's record."""
    from pathways.contacts import offline_contacts_text

    generated = Path(__file__).parents[2] / "bot" / "actions" / "offline_contacts.txt"
    assert generated.read_text(encoding="utf-8") == offline_contacts_text(seed), (
        "bot/actions/offline_contacts.txt is out of date: run "
        ".venv/bin/python scripts/offline-contacts.py"
    )
    assert f"01274 435600 {PHONE_CAVEAT}" in generated.read_text(encoding="utf-8")


def test_the_open_referral_view_fills_contact_placeholders(seed: Knowledge) -> None:
    from knowledge.content.oruk import service_to_oruk

    for service in seed.services.values():
        record = service_to_oruk(service, seed)
        for key in ("description", "eligibility_description", "application_process"):
            assert "{phone:" not in record[key], (service.id, key)
    crisis = service_to_oruk(seed.services["first-response"], seed)
    assert crisis["application_process"].startswith("Phone 0800 952 1181, any time.")
