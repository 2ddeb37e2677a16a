"""Locust: practitioners holding conversations with the navigator's chat.

Each simulated practitioner starts a new conversation (no cookie: the server
issues one), describes a family in 3 to 6 messages drawn from varied
realistic ones (ages, postcodes, concerns, now and then a red flag), answers
what the bot asks, and pauses between messages as a person typing would.
Every answer is checked as belonging to that practitioner's conversation: the
conversation cookie is issued once and never replaced, and a recommendation
reflects the age and postcode that practitioner gave. A refusal under load
(429, 503 with Retry-After) is reported apart from any other failure.

Environment:
    LOAD_THINK_MIN, LOAD_THINK_MAX   seconds between messages (5, 20); 0 and 0
                                     for a stress run with no think time
    LOAD_SEED                        a seed for repeatable conversations

Run (bench/bench_load.py drives it; by hand):
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Any

from locust import HttpUser, between, task

COOKIE = "navigator_conversation"
CHAT = "/api/v1/chat"
THINK_MIN = float(os.environ.get("LOAD_THINK_MIN", "5"))
THINK_MAX = float(os.environ.get("LOAD_THINK_MAX", "20"))
SEED = os.environ.get("LOAD_SEED")

# (words, months) - months None for a pregnancy.
AGES: list[tuple[str, int | None]] = [
    ("a 4 month old", 4), ("baby is 6 wks", 1), ("14 month old", 14), ("8 week old", 2),
    ("her 9 month old daughter", 9), ("a 20 month old boy", 20), ("newborn, 10 days", 0),
    ("mum is 30 weeks pregnant", None), ("11 month old twins", 11), ("a 1 year old", 12),
]
# (as typed, the district/sector the recommendation should show)
POSTCODES: list[tuple[str, str]] = [
    ("BD3 9LF", "BD3 9"), ("bd39lf", "BD3 9"), ("BD7 2", "BD7 2"), ("BD8 7", "BD8 7"),
    ("BD5 0", "BD5 0"), ("BD9 6", "BD9 6"), ("BD4 7", "BD4 7"), ("BD10 8", "BD10 8"),
]
CONCERNS = [
    "mum is really struggling to bond with him",
    "mum is very low and tearful most days, not sleeping",
    "dad says he feels anxious all the time since the birth",
    "parents are worried about feeding and weight gain",
    "the baby cries for hours and mum says she can't cope",
    "mum has a history of depression and has stopped her meds",
    "family recently moved here and feel isolated, no support",
    "parents argue a lot in front of the baby",
    "mum seems disconnected, doesn't respond when baby cries",
    "housing is overcrowded and money is very tight",
]
RED_FLAGS = [
    "there's a bruise on his cheek and he isn't rolling yet",
    "mum said she has thought about ending her life",
    "the baby is floppy and hard to wake",
]
FOLLOW_UPS = [
    "what does home-start do?", "how do I book a consultation", "how do I refer?",
    "is there anything for dads?", "thanks, that's helpful",
]
ANSWERS = {
    "duration": ["since the birth", "about 2 months", "a few weeks"],
    "consent_to_referral": ["yes they agree", "yes, happy to be referred", "not asked yet"],
    "asker": ['/tell_role{"asker":"health_visitor_or_midwife"}',
              '/tell_role{"asker":"other_professional"}', '/tell_role{"asker":"volunteer"}',
              '/tell_role{"asker":"unknown"}'],
}


@dataclass
class Case:
    """What this practitioner tells the navigator about one family."""

    age: tuple[str, int | None]
    postcode: tuple[str, str]
    concern: str
    red_flag: str | None

    def opening(self, rng: random.Random) -> str:
        style = rng.randrange(3)
        if style == 0:
            return f"HV here, {self.age[0]} in {self.postcode[0]}, {self.concern}"
        if style == 1:
            return f"{self.age[0]}, {self.concern}"  # the postcode only when asked
        return f"Family in {self.postcode[0]} with {self.age[0]}. {self.concern}"


def refused(status: int) -> bool:
    """Deliberate back-pressure: over a rate limit, or the chat saying it is busy."""
    return status in (429, 503)


class Practitioner(HttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        self.rng = random.Random(f"{SEED}-{id(self)}" if SEED else None)

    @task
    def hold_a_conversation(self) -> None:
        rng = self.rng
        case = Case(
            rng.choice(AGES), rng.choice(POSTCODES), rng.choice(CONCERNS),
            rng.choice(RED_FLAGS) if rng.random() < 0.1 else None,
        )
        self.cookie: str | None = None
        planned = rng.randint(3, 6)
        message = case.opening(rng)
        for turn in range(planned):
            reply = self.say(message, case)
            if reply is None:
                return  # a failure ends the conversation, as a person would start again
            if turn + 1 < planned:
                self.wait()  # type: ignore[no-untyped-call]
                message = self.next_message(reply, case, turn)

    def next_message(self, reply: dict[str, Any], case: Case, turn: int) -> str:
        rng = self.rng
        asking = reply.get("asking")
        if asking == "safety_check":
            return "/affirm" if case.red_flag else "/deny"
        if asking == "postcode":
            return case.postcode[0]
        if asking == "age":
            return case.age[0]
        if asking in ANSWERS:
            return rng.choice(ANSWERS[asking])
        if case.red_flag and turn == 0:
            return case.red_flag
        return rng.choice(FOLLOW_UPS)

    def say(self, message: str, case: Case) -> dict[str, Any] | None:
        # Sent by hand: in production the cookie is Secure, which a cookie
        # jar keeps back over plain http.
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        self.client.cookies.clear()
        with self.client.post(
            CHAT, json={"message": message}, headers=headers, name="POST /api/v1/chat",
            catch_response=True,
        ) as response:
            status = response.status_code
            if refused(status):
                response.failure(f"refused {status} (back-pressure)")
                return None
            if status != 200:
                response.failure(f"HTTP {status}")
                return None
            issued = response.cookies.get(COOKIE)
            if self.cookie is None:
                if not issued:
                    response.failure("no conversation cookie on the first turn")
                    return None
                self.cookie = issued
            elif issued:
                response.failure("conversation replaced: a new cookie mid-conversation")
                return None
            try:
                reply: dict[str, Any] = response.json()
            except ValueError:
                response.failure("not JSON")
                return None
            problem = mismatch(reply, case)
            if problem:
                response.failure(f"answer from another conversation: {problem}")
                return None
            if not reply.get("messages"):
                response.failure("no messages")
                return None
            response.success()
            return reply


def mismatch(reply: dict[str, Any], case: Case) -> str | None:
    """What in a recommendation contradicts this practitioner's case, if anything."""
    recommendation = reply.get("recommendation")
    if not recommendation:
        return None
    postcode = (recommendation.get("postcode") or {}).get("normalised")
    if postcode and not postcode.startswith(case.postcode[1]):
        return f"postcode {postcode}, not {case.postcode[1]}"
    months = (recommendation.get("age") or {}).get("months")
    if months is not None and case.age[1] is not None and abs(months - case.age[1]) > 1:
        return f"age {months} months, not {case.age[1]}"
    return None

