"""Checks that keep the volunteer route (``volunteer.yaml``, edited in the
admin) honest: every example through the whole engine, as a professional and
as a volunteer; every reference (services, contact placeholders, no typed
phone numbers); and the route's principles, which an edit must not break (a
red flag stays urgent, LMM's tiers are never a volunteer's). The test suite
and the admin's publish check run them."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from pathways.asker import volunteer_steps
from pathways.contacts import PLACEHOLDER, contact_value, literal_phones
from pathways.eligibility import LMM_SERVICE_IDS
from pathways.model import Knowledge, VolunteerExample, VolunteerStep
from pathways.recommend import InputError, Query, recommend

LMM_TIERS = frozenset({"lmm_referral", "lmm_consultation"})


def _example_problem(step: VolunteerStep, example: VolunteerExample, knowledge: Knowledge,
                     today: date) -> str | None:
    try:
        facts = {k: v for k, v in example.facts.items() if k != "asker"}
        professional = recommend(Query.model_validate(facts), knowledge, today)
        answer = recommend(Query.model_validate({**facts, "asker": "volunteer"}), knowledge, today)
    except ValidationError as exc:
        return f"the example's facts are not a valid query: {exc.errors()[0]['msg']}"
    except InputError as exc:
        return f"the example's {exc.field} cannot be read: {exc.message}"
    problems: list[str] = []
    if professional.tier != example.professional_tier:
        problems.append(f"expected a professional to get {example.professional_tier}, "
                        f"got {professional.tier}")
    if answer.tier != example.tier:
        problems.append(f"expected the volunteer to get {example.tier}, got {answer.tier}")
    if answer.tier in LMM_TIERS:
        problems.append(f"a volunteer was given {answer.tier}")
    ids = [s.id for s in answer.services]
    if example.includes_service and example.includes_service not in ids:
        problems.append(
            f"expected service {example.includes_service}, got {', '.join(ids) or 'none'}"
        )
    if LMM_SERVICE_IDS & set(ids):
        problems.append("LMM's consultation or clinical offer was listed for a volunteer")
    if step.id not in [t.rule for t in answer.trace]:
        problems.append(f"expected {step.id} to apply, but it is not in the trace")
    return "; ".join(problems) or None


def check_volunteer_examples(knowledge: Knowledge, today: date) -> list[str]:
    """Every volunteer step's examples through the whole engine."""
    failures = []
    for step in knowledge.volunteer:
        for example in step.examples:
            problem = _example_problem(step, example, knowledge, today)
            if problem:
                failures.append(f"Volunteer step {step.id} / {example.name}: {problem}")
    return failures


def check_volunteer_references(knowledge: Knowledge) -> list[str]:
    """Unknown services, placeholders naming no service or a missing field,
    and phone numbers typed into the volunteer route's prose."""
    failures: list[str] = []
    seen: set[str] = set()
    for step in knowledge.volunteer:
        if step.id in seen:
            failures.append(f"Volunteer step {step.id}: the id is used twice.")
        seen.add(step.id)
        failures += [f"Volunteer step {step.id} recommends service {s}, which does not exist."
                     for s in step.services if s not in knowledge.services]
        failures += [f"Volunteer step {step.id} recommends {s}: a volunteer never uses LMM's "
                     "consultation or clinical offer themselves." for s in step.services
                     if s in LMM_SERVICE_IDS]
        if step.tier in LMM_TIERS:
            failures.append(f"Volunteer step {step.id} gives {step.tier}: a volunteer tells "
                            "the health visitor instead.")
        for text in (step.headline or "", *step.next_steps):
            failures += [f"Volunteer step {step.id} has a phone number written in it ({n}): "
                         "write {phone:<service id>} instead." for n in literal_phones(text)]
            for kind, service_id in PLACEHOLDER.findall(text):
                service = knowledge.services.get(service_id)
                if service is None or not contact_value(service, kind):
                    failures.append(f"Volunteer step {step.id} refers to {{{kind}:{service_id}}}, "
                                    "which no service record fills.")
    return failures


def check_volunteer_principles(knowledge: Knowledge) -> list[str]:
    """What no edit to the route may change: a step never turns an urgent
    answer into anything else, and where a professional would consult or refer
    to LMM some step gives the volunteer a tier of their own (the examples
    show it only for the cases someone thought of)."""
    if not knowledge.volunteer:
        return []
    failures = [
        f"Volunteer step {step.id} changes an urgent answer to {step.tier}: a red flag "
        "stays urgent for a volunteer."
        for step in knowledge.volunteer
        if "urgent" in step.applies_to and step.tier not in (None, "urgent")
    ]
    for tier in sorted(LMM_TIERS):
        if not any(step.tier is not None and step.tier not in LMM_TIERS
                   for step in volunteer_steps(knowledge, tier)):
            failures.append(
                f"No volunteer step applies to {tier} and gives another tier: a volunteer "
                f"would be given {tier}. Keep a step (like V-001) that applies to it with "
                "tier signpost.")
    return failures
