"""Whole conversations through POST /api/v1/chat against the real trained
model, the action server and the api's engine."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Chat, text_of
from tests.support.stack import running_stack

pytestmark = [pytest.mark.bot, pytest.mark.slow]


NONE_OF_THESE = "/deny"  # the payload of the safety check's "None of these" button
# The payload of the "Health visitor or midwife" button, when asked who is asking.
HEALTH_VISITOR = '/tell_role{"asker":"health_visitor_or_midwife"}'


def answer_until_recommendation(
    chat: Chat, first: str, answers: dict[str, str]
) -> dict[str, Any]:
    """Send ``first``, then answer whatever the bot asks from ``answers`` (the
    safety check with "None of these" unless ``answers`` says otherwise)
    until it gives its final recommendation (at most 6 turns)."""
    answers = {"safety_check": NONE_OF_THESE, "asker": HEALTH_VISITOR, **answers}
    reply = chat(first)
    for _ in range(6):
        if reply["asking"] is None:
            return reply
        asking = reply["asking"]
        assert asking in answers, f"unexpected question {asking}: {text_of(reply)}"
        reply = chat(answers[asking])
    raise AssertionError(f"no recommendation after 6 turns: {text_of(reply)}")


def button_titles(reply: dict[str, Any]) -> list[str]:
    return [b["title"] for m in reply["messages"] for b in m["buttons"]]


def assert_safety_check(reply: dict[str, Any]) -> None:
    """The red-flag check: asked, with the engine's questions and three answers."""
    assert reply["asking"] == "safety_check", text_of(reply)
    assert reply["recommendation"] is None, "no answer before the check"
    assert "Does any of these apply" in text_of(reply)
    assert "- Has the baby been hurt" in text_of(reply), "the engine's questions, listed"
    assert button_titles(reply)[:3] == ["None of these", "Yes", "Not sure"]


def test_one_message_gets_the_safety_check_then_the_recommendation(chat: Chat) -> None:
    reply = chat("Mum of a 4 month old in BD3 9 can't bond with him, happy to be referred")
    assert_safety_check(reply)
    reply = chat(NONE_OF_THESE)
    # An answer involving LMM differs for a volunteer: who is asking, once.
    assert reply["asking"] == "asker" and reply["recommendation"] is None, text_of(reply)
    assert "Volunteer or voluntary sector" in button_titles(reply)
    reply = chat(HEALTH_VISITOR)
    recommendation = reply["recommendation"]
    assert recommendation is not None, text_of(reply)
    assert recommendation["tier"] in ("lmm_referral", "lmm_consultation")
    assert recommendation["age"]["months"] == 4
    assert any(c["code"] == "bonding" for c in recommendation["concerns"])
    assert "Little Minds Matter" in text_of(reply)
    assert reply["handover"] and "9LF" not in reply["handover"]
    assert reply["asking"] in (None, "duration"), "at most the engine's one follow-up question"
    # Each message says what it is, so the page can fold the answer's text
    # under its cards and keep a question asked on the same turn in view.
    kinds = [m["kind"] for m in reply["messages"]]
    assert kinds[0] == "recommendation" and "handover" in kinds, kinds
    question = [m for m in reply["messages"] if m["kind"] == "text"]
    assert len(question) == (1 if reply["asking"] else 0), kinds


def test_lmm_referral_after_the_bot_asks_what_is_missing(chat: Chat) -> None:
    reply = chat("HV here, baby is 6 wks and mum is really struggling to bond")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = answer_until_recommendation(
        chat, "bd39lf", {"duration": "since the birth", "consent_to_referral": "yes they agree"}
    )
    assert reply["recommendation"]["tier"] == "lmm_referral", text_of(reply)
    assert reply["recommendation"]["lmm_eligible"] is True
    assert reply["recommendation"]["postcode"]["normalised"] == "BD3 9"
    assert "Does:" in text_of(reply) and "How to refer:" in text_of(reply)


def test_lmm_consultation_when_the_family_has_not_agreed(chat: Chat) -> None:
    reply = answer_until_recommendation(
        chat,
        "mum of a 5 month old in BD5 0, mild worries about bonding, she doesn't want a referral",
        {"duration": "a couple of weeks", "consent_to_referral": "no"},
    )
    assert reply["recommendation"]["tier"] == "lmm_consultation", text_of(reply)


def test_signpost_for_a_baby_over_two(chat: Chat) -> None:
    reply = answer_until_recommendation(
        chat, "26 month old in BD8, parents worried about bonding", {}
    )
    recommendation = reply["recommendation"]
    assert recommendation["tier"] == "signpost", text_of(reply)
    assert recommendation["lmm_eligible"] is False
    assert not any(s["id"].startswith("lmm-") and s["role"] == "primary"
                   for s in recommendation["services"])


def test_urgent_for_a_red_flag_in_the_middle_of_the_form(chat: Chat) -> None:
    reply = chat("8 week old in BD3")
    assert reply["asking"] == "concerns", text_of(reply)
    reply = chat("there's a bruise on his cheek and he isn't rolling yet")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    assert text_of(reply).startswith("URGENT")
    assert {m["kind"] for m in reply["messages"]} == {"urgent", "handover"}
    ids = [s["id"] for s in reply["recommendation"]["services"]]
    assert "childrens-social-care" in ids
    # The form is over: a new message is not taken as the answer to a question.
    after = chat("thanks")
    assert after["asking"] is None


def test_a_split_postcode_district_gets_one_request_for_more(chat: Chat) -> None:
    reply = chat("4 month old in BD3, mum can't bond with him, happy to be referred")
    assert reply["asking"] == "postcode", text_of(reply)
    assert "full postcode" in text_of(reply) and "Leeds" in text_of(reply), text_of(reply)
    reply = answer_until_recommendation(
        chat, "BD3 9LF", {"duration": "since the birth", "consent_to_referral": "yes"}
    )
    recommendation = reply["recommendation"]
    assert recommendation["postcode"]["normalised"] == "BD3 9", text_of(reply)
    assert recommendation["lmm_eligible"] is True
    assert "9LF" not in reply["handover"]


def test_not_knowing_the_full_postcode_is_accepted_and_not_asked_again(chat: Chat) -> None:
    reply = chat("is this family eligible for little minds matter?")
    reply = chat("14 months")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = chat("BD3")
    assert reply["asking"] == "postcode" and "full postcode" in text_of(reply), text_of(reply)
    reply = chat("I don't know")
    assert reply["asking"] is None, text_of(reply)
    assert text_of(reply).startswith("I cannot say yet"), text_of(reply)


def test_eligibility_check_for_a_volunteer(chat: Chat) -> None:
    reply = chat("is this family eligible for little minds matter?")
    assert reply["asking"] == "age", text_of(reply)
    reply = chat("14 months")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = chat("LS28 7")
    assert reply["asking"] is None
    assert text_of(reply).startswith("No: this family is not eligible"), text_of(reply)


def test_a_service_question_is_answered_from_the_knowledge_base(chat: Chat) -> None:
    reply = chat("what does first response do?")
    text = text_of(reply)
    assert "First Response" in text and "0800 952 1181" in text, text


def test_a_correction_changes_the_answer(chat: Chat) -> None:
    first = answer_until_recommendation(
        chat, "mum of a 5 month old in BD8 9, not bonding since birth, happy to be referred",
        {"duration": "since birth", "consent_to_referral": "yes"},
    )
    assert first["recommendation"]["lmm_eligible"] is True, text_of(first)
    reply = chat("sorry, she's actually 25 months")
    assert reply["recommendation"]["age"]["months"] == 25, text_of(reply)
    assert reply["recommendation"]["lmm_eligible"] is False
    assert reply["recommendation"]["tier"] == "signpost"


def test_an_unreadable_answer_is_re_asked_once_with_buttons_and_never_a_third_time(
    chat: Chat,
) -> None:
    reply = chat("mum has postnatal depression")
    assert reply["asking"] == "age", text_of(reply)
    assert button_titles(reply) == [], "first, in the practitioner's own words"
    reply = chat("banana")
    assert reply["asking"] == "age", text_of(reply)
    assert "Try" in text_of(reply) or "weeks" in text_of(reply)
    assert button_titles(reply) == ["Pregnant", "I don't know", "Speak to a person"]
    reply = chat("sausages")
    assert reply["asking"] not in (None, "age"), text_of(reply)
    assert "carry on without the baby's age" in text_of(reply)


def test_api_proxy_answers_503_with_contacts_when_rasa_is_down(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A second api whose Rasa is not running: the shared stack stays up.
    with running_stack(tmp_path_factory.mktemp("no-rasa"), with_bot=False) as lonely:
        response = httpx.post(
            f"{lonely.api_url}/api/v1/chat",
            json={"message": "mum says she wants to kill herself"},
            timeout=30,
        )
    assert response.status_code == 503
    body = response.json()
    text = "\n".join(m["text"] for m in body["messages"])
    assert "999" in text and "0800 952 1181" in text
    assert body["recommendation"]["tier"] == "urgent", "the engine still spots the red flag"


# The safety check: asked once per case, before any answer that is not urgent.


def test_yes_at_the_safety_check_gives_the_urgent_answer_and_contacts(chat: Chat) -> None:
    reply = chat("6 week old in BD5 0, mum is struggling to bond with her")
    assert_safety_check(reply)
    reply = chat("Yes")
    recommendation = reply["recommendation"]
    assert recommendation["tier"] == "urgent", text_of(reply)
    assert recommendation["safety_checked"] is True
    assert reply["asking"] is None
    assert text_of(reply).startswith("URGENT")
    ids = [s["id"] for s in recommendation["services"]]
    assert "childrens-social-care" in ids and "emergency-999" in ids, ids
    assert "01274 435600" in text_of(reply)


def test_not_sure_typed_at_the_safety_check_gives_the_urgent_answer(chat: Chat) -> None:
    reply = chat("mum of a 7 month old in BD8 9, very anxious, not bonding")
    assert_safety_check(reply)
    reply = chat("not sure")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert {m["kind"] for m in reply["messages"]} == {"urgent", "handover"}


def test_none_of_these_typed_continues_and_the_check_is_not_asked_again(chat: Chat) -> None:
    reply = chat("Mum of a 5 month old in BD8 9, not bonding since birth, happy to be referred")
    assert_safety_check(reply)
    reply = answer_until_recommendation(
        chat, "None of these", {"duration": "since birth", "consent_to_referral": "yes"}
    )
    assert reply["recommendation"]["tier"] in ("lmm_referral", "lmm_consultation"), text_of(reply)
    assert reply["recommendation"]["safety_checked"] is True
    # More about the same family: a new answer, no second check.
    reply = chat("she also has low mood")
    assert reply["asking"] != "safety_check", text_of(reply)
    reply = chat("sorry, she's actually 25 months")
    assert reply["asking"] != "safety_check", text_of(reply)
    assert reply["recommendation"]["age"]["months"] == 25, text_of(reply)
    # Start again (the button after every answer): a new family gets its own check.
    chat("/start_again")
    reply = chat("8 month old in BD3 9, mum can't bond with him")
    assert_safety_check(reply)


def test_a_red_flag_already_found_skips_the_safety_check(chat: Chat) -> None:
    reply = chat("6 week old in BD5 0, there's a bruise on his cheek and he isn't rolling yet")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None


# A case is a case, whatever the classifier guessed.


def test_a_suicidal_description_in_one_message_is_urgent_without_asking_the_worry(
    chat: Chat,
) -> None:
    reply = chat("mum of a 3 month old in BD5 0, she's been thinking about ending it all")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    assert "What are you worried about" not in text_of(reply)
    assert "0800 952 1181" in text_of(reply) or "999" in text_of(reply)


def test_a_domestic_abuse_disclosure_in_the_middle_of_the_form_is_urgent(chat: Chat) -> None:
    reply = chat("worried about a family with a 6 week old in BD5 0")
    assert reply["asking"] == "concerns", text_of(reply)
    reply = chat("mum told me he threatened to kill her and he's still living in the house")
    assert reply["recommendation"]["tier"] == "urgent", text_of(reply)
    assert reply["asking"] is None
    assert "What are you worried about" not in text_of(reply)
    assert "childrens-social-care" in [s["id"] for s in reply["recommendation"]["services"]]


DA_AT_HOME = "mum disclosed domestic abuse, the perpetrator is still in the house"


def test_a_domestic_abuse_disclosure_is_a_case_not_a_question(chat: Chat) -> None:
    reply = chat(DA_AT_HOME)
    assert "I could not tell which service you mean" not in text_of(reply)
    assert "I can help with" not in text_of(reply)
    assert reply["recommendation"] is not None or reply["asking"] in ("age", "postcode"), (
        text_of(reply))


def test_a_worry_given_during_the_form_is_never_asked_for_again(chat: Chat) -> None:
    reply = chat("worried about a family with a 6 week old in BD5 0")
    assert reply["asking"] == "concerns", text_of(reply)
    reply = chat(DA_AT_HOME)
    assert reply["asking"] != "concerns", text_of(reply)
    assert "What are you worried about" not in text_of(reply)


# Consent comes only from the engine's reading (or a yes or no to the question).


def answers_for_a_consent_trap(chat: Chat, first: str, traps: list[str]) -> list[dict[str, Any]]:
    """Go through the case answering the consent question only with ``traps``."""
    replies = [chat(first)]
    traps = list(traps)
    for _ in range(8):
        asking = replies[-1]["asking"]
        if asking is None:
            return replies
        if asking == "consent_to_referral":
            answer = traps.pop(0) if traps else "/dont_know"
        else:
            answer = {"safety_check": NONE_OF_THESE, "duration": "since the birth",
                      "asker": HEALTH_VISITOR}[asking]
        replies.append(chat(answer))
    raise AssertionError(f"no recommendation: {text_of(replies[-1])}")


def test_a_plan_to_refer_is_not_the_familys_consent(chat: Chat) -> None:
    replies = answers_for_a_consent_trap(
        chat, "Mum of a 4 month old in BD3 9 can't bond with him, I want to refer this family",
        ["I want to refer this family", "mum has not yet consented to a referral"],
    )
    asked = [r["asking"] for r in replies]
    assert "consent_to_referral" in asked, "consent was not taken from the plan to refer"
    assert replies[-1]["recommendation"]["tier"] != "lmm_referral", text_of(replies[-1])


def test_not_yet_consented_is_not_a_yes(chat: Chat) -> None:
    replies = answers_for_a_consent_trap(
        chat, "6 week old in BD5 0, mum struggling to bond, she has not yet consented to a "
              "referral",
        ["mum has not yet consented to a referral", "I want to refer this family"],
    )
    assert "consent_to_referral" in [r["asking"] for r in replies]
    assert replies[-1]["recommendation"]["tier"] != "lmm_referral", text_of(replies[-1])


# No question three times in a row.


def test_the_worry_asked_again_offers_the_engines_choices_and_a_person(chat: Chat) -> None:
    reply = chat("worried about a family with a 6 week old in BD5 0")
    assert reply["asking"] == "concerns", text_of(reply)
    payloads = [b["payload"] for m in reply["messages"] for b in m["buttons"]]
    assert '/inform{"concern":"bonding"}' in payloads, "the engine's commonest worries"
    reply = chat("zzz")
    assert reply["asking"] == "concerns", text_of(reply)
    assert "Speak to a person" in button_titles(reply)
    assert '/inform{"concern":"bonding"}' in [
        b["payload"] for m in reply["messages"] for b in m["buttons"]]
    reply = chat("qqq")
    assert reply["asking"] != "concerns", text_of(reply)


def test_speak_to_a_person_at_the_second_ask_gives_the_contact_not_a_third_ask(
    chat: Chat,
) -> None:
    reply = chat("mum has postnatal depression")
    assert reply["asking"] == "age", text_of(reply)
    reply = chat("banana")
    assert reply["asking"] == "age", text_of(reply)
    person = [b for m in reply["messages"] for b in m["buttons"]
              if b["title"] == "Speak to a person"]
    assert person == [{"title": "Speak to a person", "payload": "/human_handoff"}]
    reply = chat(person[0]["payload"])
    assert "talk to a person at Little Minds Matter" in text_of(reply), text_of(reply)
    assert reply["asking"] != "age", text_of(reply)


def test_no_question_is_asked_three_times_in_a_row(chat: Chat) -> None:
    asked = []
    for message in ("mum has postnatal depression", "zzz", "qqq", "xxx", "yyy", "www",
                    "vvv", "uuu", "ttt", "sss"):
        reply = chat(message)
        asked.append(reply["asking"])
        if reply["asking"] is None and reply["recommendation"] is not None:
            break
    runs = [asked[i:i + 3] for i in range(len(asked) - 2)]
    assert not [r for r in runs if r[0] is not None and r.count(r[0]) == 3], asked
