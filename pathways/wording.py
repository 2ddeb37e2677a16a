"""The words of an answer: the headline's placeholders, what is missing and
how to ask for it, the next steps, what was read and suspected, the safety
questions and the safety line. Contacts come from the service records only,
so a changed number reaches every answer."""

from __future__ import annotations

from typing import Final

from pathways.contacts import phone_text, render, uncertain_note, uncertain_services
from pathways.contract import Choice, ServiceOut, TraceStep
from pathways.decision import Draft
from pathways.eligibility import LMM_SERVICE_ID, describe_ages
from pathways.model import Knowledge, Service, Tier
from pathways.service_choice import NATIONAL_AREA
from pathways.understanding import Understanding

# The red flags asked about once per case before any non-urgent answer.
SAFETY_QUESTIONS: Final = (
    "Has the baby been hurt, shaken or handled roughly, or is there an unexplained bruise or "
    "mark?",
    "Is the baby seriously unwell: floppy, hard to wake, breathing problems, fits, blue or "
    "grey, a rash that does not fade, no wet nappies?",
    "Has a parent spoken of suicide or of harming themselves or the baby, taken an overdose, "
    "or suddenly changed (confused, hearing voices, not sleeping for days)?",
    "Is anyone in danger from domestic abuse now: threats to kill, strangling or choking, a "
    "weapon?",
    "Is a child being abused or neglected, or is a carer drunk or high while looking after "
    "the baby, or is a girl at risk of FGM or forced marriage?",
    "In pregnancy: fewer movements, any bleeding, or severe pain or headache?",
)
# The commonest worries, offered when nothing in a description was recognised.
COMMON_WORRIES: Final = (
    "bonding", "relationship_difficulty", "low_mood", "anxiety", "crying_sleep", "feeding",
    "domestic_abuse", "parenting_stress", "practitioner_guidance",
)
SAFETY_LINE_SERVICES: Final = ("emergency-999", "first-response", "childrens-social-care")


class _Placeholders(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, u: Understanding, knowledge: Knowledge) -> str:
    local = [a for a in (u.postcode.areas if u.postcode else ()) if a != NATIONAL_AREA]
    values = _Placeholders(
        age=u.age.text if u.age else "the baby",
        postcode=u.postcode.normalised if u.postcode else "the postcode",
        area=knowledge.areas[local[0]].name if local and local[0] in knowledge.areas
        else "their own area",
    )
    text = render(text, knowledge)
    try:
        return text.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return text


def _contact(service: Service) -> str:
    phone = phone_text(service)
    return f"{service.name} {phone}" if phone else service.name


def safety_line(knowledge: Knowledge) -> str:
    """Who to call now, from the service records."""
    services = [knowledge.services[s] for s in SAFETY_LINE_SERVICES if s in knowledge.services]
    if not services:
        return "If anyone is in immediate danger, call 999."
    return "If anyone is in danger now: " + "; ".join(_contact(s) for s in services) + "."


def consent_reason(u: Understanding) -> list[str]:
    """Say where consent came from when the description, not the consent
    field, gave it, so the practitioner can check it was read right."""
    if u.consent_evidence is None:
        return []
    consent, words = u.consent_evidence
    if consent:
        return [f'The description says the family agrees to a referral ("{words}"): '
                "confirm this with them before referring."]
    return [f'The description says the family does not agree to a referral ("{words}").']


def missing_fields(tier: Tier, u: Understanding) -> list[str]:
    if tier == "urgent":
        return []
    facts = u.facts
    missing: list[str] = []
    if u.age is None:
        missing.append("age")
    if u.postcode is None or u.eligibility.area_ok is None:
        missing.append("postcode")
    if not u.concerns:
        missing.append("concerns")
    lmm_possible = facts["relationship_concern"] and facts["lmm_eligible"] is not False
    if lmm_possible and facts["consent_to_referral"] is None:
        missing.append("consent_to_referral")
    if (lmm_possible and tier == "lmm_consultation" and facts["persistent"] is None
            and not facts["significant"] and not facts["mild_or_uncertain"]):
        missing.append("duration")
    return missing


def _prompts(missing: list[str], u: Understanding, knowledge: Knowledge) -> list[str]:
    lmm = knowledge.services.get(LMM_SERVICE_ID)
    span = describe_ages(lmm.ages) if lmm else "pregnancy to 24 months"
    steps: list[str] = []
    if "age" in missing:
        if u.age_unclear:
            steps.append("The description names more than one young child: say which baby the "
                         "worry is about, and their age (or how many weeks pregnant).")
        else:
            steps.append(f"Ask the baby's age, or how many weeks pregnant: LMM sees families "
                         f"from {span}.")
    if "postcode" in missing:
        if u.postcode is not None and u.postcode.note:
            steps.append(f"Ask for the family's full postcode: {u.postcode.note}")
        else:
            steps.append(
                "Ask for the family's postcode: LMM sees families living in Bradford District."
            )
    if "concerns" in missing:
        steps.append("Describe what you are worried about, in your own words.")
    if "consent_to_referral" in missing:
        steps.append("Ask whether the family agrees to a referral: a referral to LMM needs their "
                     "consent (a safeguarding referral does not).")
    if "duration" in missing:
        steps.append("Say how long this has been going on: a persistent or significant difficulty "
                     "may need a referral rather than a consultation.")
    return steps


def next_steps(draft: Draft, u: Understanding, knowledge: Knowledge, missing: list[str],
               services: list[ServiceOut], recognised: bool) -> list[str]:
    written = list(draft.outcome.next_steps) if draft.outcome else []
    steps = [fill(s, u, knowledge) for s in written]
    if draft.tier == "urgent" and not draft.outcome:
        steps.append("If anyone is in immediate danger, call 999.")
    suspected = [knowledge.concerns[c].label for c in u.facts["suspected_red_flags"]]
    if draft.tier == "urgent" and suspected:
        steps.insert(0, "Possible red flag (" + "; ".join(suspected) + "): the navigator "
                     "recognised it from the words quoted below, not from a fixed phrase. Act "
                     "now as for a red flag unless you can rule it out with the family.")
    if draft.tier == "urgent" and u.eligibility.area_ok is False:
        steps.append(
            "The family lives outside Bradford District: contact the children's social care "
            "front door or crisis service where they live; in immediate danger call 999."
        )
    for code in u.concerns:
        concern = knowledge.concerns[code]
        if concern.guidance and (draft.tier != "urgent" or concern.red_flag):
            written.append(concern.guidance)
            steps.append(render(concern.guidance, knowledge))
    if not recognised:
        steps.append("Nothing in what you wrote was recognised as a concern. Choose the worry "
                     "that fits best, or describe it in other words.")
    if draft.tier != "urgent":
        steps += _prompts(missing, u, knowledge)
    # An uncertain number written into the steps or headline by placeholder
    # gets its note here, unless its service is listed (which shows it).
    listed = {s.id for s in services}
    for service in uncertain_services(" ".join([draft.headline, *written]), knowledge):
        if service.id not in listed:
            steps.append(uncertain_note(service))
    if any(s.needs_verification or s.contact.phone_uncertain for s in services):
        steps.append("Some details below are marked as not yet confirmed by LMM staff: check them "
                     "before relying on them.")
    if draft.tier != "urgent" and not recognised:
        steps.append(safety_line(knowledge))
        steps += [uncertain_note(knowledge.services[s]) for s in SAFETY_LINE_SERVICES
                  if s in knowledge.services and s not in listed
                  and knowledge.services[s].contact.phone_uncertain]
    return list(dict.fromkeys(steps))


def headline(draft: Draft, u: Understanding, knowledge: Knowledge) -> str:
    text = fill(draft.headline, u, knowledge)
    suspected = u.facts["suspected_red_flags"]
    found_by_phrase = [c for c in u.facts["red_flags"] if c not in suspected]
    if draft.tier == "urgent" and suspected and not found_by_phrase:
        first = u.found[suspected[0]]
        return (f"Possible red flag: {first.label.lower()} suspected from "
                f"\"{first.evidence}\". Act now unless you can rule it out.")
    return text


def reading_trace(u: Understanding, knowledge: Knowledge) -> list[TraceStep]:
    """What was read, and how: every red flag with its words, and every
    concern suspected by similarity with its nearest example."""
    steps: list[TraceStep] = []
    for code in u.concerns:
        found = u.found.get(code)
        concern = knowledge.concerns[code]
        if found is None:
            continue
        if found.suspected:
            steps.append(TraceStep(
                rule="READ-2",
                summary=f"{concern.label}: suspected by similarity to the labelled example "
                        f"\"{found.similar_to}\" (score {found.score}).",
                outcome=f"read from \"{found.evidence}\"",
            ))
        elif concern.red_flag:
            steps.append(TraceStep(
                rule="READ-1", summary=f"{concern.label}: a curated phrase matched.",
                outcome=f"read from \"{found.evidence}\"",
            ))
    return steps


def choices(knowledge: Knowledge) -> list[Choice]:
    return [Choice(code=c, label=knowledge.concerns[c].label)
            for c in COMMON_WORRIES if c in knowledge.concerns]
