"""Nothing personal is kept or logged, through the real stack.

Conversations full of personal details (names after titles and introductions,
phone numbers, an email, a valid NHS number, a date of birth, full postcodes,
street addresses) go through POST /api/v1/chat to the real api, action server
and trained Rasa. Then every store is searched for the details: the database
(every table's rows, and the raw bytes of an SQLite file), Rasa's trackers
(over Rasa's HTTP API, turned on for this test only, and, with the Redis
tracker store, every key and value in its Redis database), every file the
stack wrote (each process's stdout and stderr), and every answer the api
gave. The conversations must still have worked: the recommendation used the
age from the date of birth and the area from the postcode.

Runs three ways: SQLite with Rasa's trackers in memory, PostgreSQL (a
database of its own, dropped afterwards), and the Redis tracker store (Redis
on 127.0.0.1:6379, database 5, keys under a prefix of this run's own, deleted
afterwards), so runs at the same time do not meet.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import MetaData, select, text

from api.conversations import COOKIE_NAME
from knowledge.db import make_engine
from pathways.age import parse_age
from tests.conftest import IN_CI, _ensure_postgres_database, postgres_url, reset_database
from tests.support.stack import Stack, require_bot, running_stack

pytestmark = [pytest.mark.bot, pytest.mark.slow]

REDIS_URL = "redis://127.0.0.1:6379/5"
RUN_ID = f"privacy{os.getpid()}"
NONE_OF_THESE = "/deny"
HEALTH_VISITOR = '/tell_role{"asker":"health_visitor_or_midwife"}'  # asked who is asking

BORN = date.today() - timedelta(days=130)
DOB = BORN.strftime("%d/%m/%Y")
URGENT_BORN = date.today() - timedelta(days=40)

FIRST = (
    f"HV here re Mrs Sabreen Khanzada, DOB {DOB}, NHS 943 476 5919, lives 14 Oakhurst Road "
    "BD3 9NW, mob 07700 900123, email sabreen.khanzada@example.com. Mum can't bond with "
    "her baby, happy to be referred"
)
SECOND = [
    "baby is 6 weeks, her name's Chloe-Mae, mum really struggling to bond",
    "Mr Jonty Quixley 07700 900456, 27 Quarrydene Grove, BD3 9NW",
]
REFUSED_POSTCODE = "Mrs Khanzada 07700 90012"
URGENT = (
    f"Dr Pathirana says dad Tobias shook the baby, born {URGENT_BORN:%d/%m/%Y}, "
    "call 01274 937461, flat 2, no. 14 Quarrydene Grove BD3 9NW"
)
# Every detail typed above, as it was typed or as the engine would spell it.
DETAILS = [
    "Sabreen", "Khanzada", DOB, f"{BORN.day} {BORN:%B %Y}", "943 476 5919", "9434765919",
    "Oakhurst", "9NW", "07700", "900123", "900456", "90012", "example.com", "Chloe-Mae",
    "Jonty", "Quixley", "Quarrydene", "Pathirana", "Tobias", f"{URGENT_BORN:%d/%m/%Y}",
    f"{URGENT_BORN.day} {URGENT_BORN:%B %Y}", "937461",
    # the numbers as a system might normalise them, without their spaces
    "07700900123", "07700900456", "0770090012", "01274937461",
]


def found_in(haystack: str) -> list[str]:
    """The details that appear in ``haystack`` (case-insensitive; names and
    numbers as whole words, so "Tobias" is not found inside another word, nor
    "90012" inside a longer number, a timestamp or an id)."""
    found = []
    for detail in DETAILS:
        pattern = re.escape(detail)
        if detail.isalpha():
            pattern = rf"\b{pattern}\b"
        elif detail.isalnum():
            pattern = rf"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])"
        if re.search(pattern, haystack, re.IGNORECASE):
            found.append(detail)
    return found


@dataclass
class Run:
    """What one configuration's conversations produced."""

    kind: str
    stack: Stack
    database_url: str
    answers: list[str] = field(default_factory=list)
    conversation_ids: list[str] = field(default_factory=list)
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)


class Browser:
    """One conversation: its own cookie jar, every raw answer kept."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.client = httpx.Client(base_url=run.stack.api_url, timeout=90)

    def send(self, message: str) -> dict[str, Any]:
        response = self.client.post("/api/v1/chat", json={"message": message})
        self.run.answers.append(response.text)
        assert response.status_code == 200, response.text
        reply: dict[str, Any] = response.json()
        return reply

    def conversation_id(self) -> str:
        cookie = next(c for c in self.client.cookies.jar if c.name == COOKIE_NAME)
        assert cookie.value
        return str(cookie.value).split(".")[0]

    def close(self) -> None:
        self.run.conversation_ids.append(self.conversation_id())
        self.client.close()


def text_of(reply: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in reply["messages"])


def until_recommendation(browser: Browser, reply: dict[str, Any],
                         answers: dict[str, str]) -> dict[str, Any]:
    answers = {"safety_check": NONE_OF_THESE, "asker": HEALTH_VISITOR, **answers}
    for _ in range(6):
        if reply["asking"] is None:
            return reply
        assert reply["asking"] in answers, f"unexpected question: {text_of(reply)}"
        reply = browser.send(answers[reply["asking"]])
    raise AssertionError(f"no recommendation after 6 turns: {text_of(reply)}")


def converse(run: Run) -> None:
    """The conversations, each checked to have worked."""
    first = Browser(run)
    reply = first.send(FIRST)
    assert reply["asking"] == "safety_check", text_of(reply)
    reply = until_recommendation(first, reply, {"duration": "since the birth"})
    run.replies["first"] = reply
    first.close()

    second = Browser(run)
    reply = second.send(SECOND[0])
    assert reply["asking"] == "postcode", text_of(reply)
    reply = second.send(SECOND[1])
    reply = until_recommendation(
        second, reply, {"duration": "since the birth", "consent_to_referral": "yes they agree"}
    )
    run.replies["second"] = reply
    second.close()

    third = Browser(run)
    reply = third.send("HV here, baby is 4 months and mum is struggling to bond")
    assert reply["asking"] == "postcode", text_of(reply)
    reply = third.send(REFUSED_POSTCODE)
    run.replies["refused"] = reply
    third.close()

    fourth = Browser(run)
    run.replies["urgent"] = fourth.send(URGENT)
    fourth.close()


def database_text(url: str) -> str:
    engine = make_engine(url)
    try:
        metadata = MetaData()
        with engine.connect() as connection:
            metadata.reflect(connection)
            assert metadata.tables, "the database has tables"
            return "\n".join(
                f"{name}: {connection.execute(select(table)).fetchall()!r}"
                for name, table in metadata.tables.items()
            )
    finally:
        engine.dispose()


def redis_text() -> str:
    import redis

    client = redis.StrictRedis(host="127.0.0.1", port=6379, db=5)
    parts = []
    for key in cast(list[bytes], client.keys(f"{RUN_ID}*")):
        kind = client.type(key)
        value = cast(bytes | None, client.get(key) if kind == b"string" else client.dump(key))
        parts.append(f"{key.decode()}: {(value or b'').decode('utf-8', errors='replace')}")
    return "\n".join(parts)


def drop_database(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = make_engine(f"{base}/postgres")
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def clear_redis() -> None:
    import redis

    client = redis.StrictRedis(host="127.0.0.1", port=6379, db=5)
    keys = cast(list[bytes], client.keys(f"{RUN_ID}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "redis"],
)
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    require_bot()
    workdir = tmp_path_factory.mktemp(f"privacy-{request.param}")
    database_url = f"sqlite:///{workdir / 'nav.db'}"
    if request.param == "postgres":
        database_url = f"{postgres_url().rpartition('/')[0]}/navigator_{RUN_ID}"
        try:
            _ensure_postgres_database(database_url)
        except Exception as error:
            if IN_CI:
                pytest.fail(f"PostgreSQL is required in CI: {error}")
            pytest.skip(f"PostgreSQL not reachable: {error}")
        engine = make_engine(database_url)
        reset_database(engine)
        engine.dispose()
    redis_url = REDIS_URL if request.param == "redis" else None
    if redis_url:
        clear_redis()
    token = secrets.token_hex(16)
    try:
        with running_stack(
            workdir, api_env={"DATABASE_URL": database_url}, redis_url=redis_url,
            bot_env={"REDIS_KEY_PREFIX": RUN_ID}, rasa_api_token=token,
        ) as stack:
            result = Run(kind=request.param, stack=stack, database_url=database_url)
            converse(result)
            yield result
    finally:
        if redis_url:
            clear_redis()
        if request.param == "postgres":
            drop_database(database_url)


def test_the_conversations_worked(run: Run) -> None:
    first = run.replies["first"]["recommendation"]
    assert first is not None, text_of(run.replies["first"])
    expected = parse_age(f"born {DOB}", date.today())
    assert first["age"]["months"] == expected.months, "the age from the date of birth"
    assert "born" not in first["age"]["text"]
    assert first["postcode"]["normalised"] == "BD3 9"
    assert "bradford_district" in first["postcode"]["areas"]
    assert first["lmm_eligible"] is True
    assert any(c["code"] == "bonding" for c in first["concerns"])

    second = run.replies["second"]["recommendation"]
    assert second["tier"] == "lmm_referral", text_of(run.replies["second"])
    assert second["age"]["weeks"] == 6 and second["postcode"]["normalised"] == "BD3 9"

    refused = text_of(run.replies["refused"])
    assert "postcode" in refused.lower() and "BD3 9" in refused, "says what is accepted"
    assert "[name]" not in refused and "[phone]" not in refused, "never quotes the input"

    urgent = run.replies["urgent"]
    assert urgent["recommendation"]["tier"] == "urgent", text_of(urgent)


def test_no_answer_carries_a_detail(run: Run) -> None:
    assert run.answers
    for answer in run.answers:
        assert not found_in(answer), (found_in(answer), answer)


def test_the_database_holds_no_detail(run: Run) -> None:
    dump = database_text(run.database_url)
    assert not found_in(dump), found_in(dump)
    sqlite_file = run.stack.workdir / "nav.db"
    if run.database_url.startswith("sqlite"):
        raw = sqlite_file.read_bytes().decode("utf-8", errors="replace")
        assert not found_in(raw), "not even in the file's free pages"


def test_rasas_trackers_hold_only_redacted_text(run: Run) -> None:
    assert len(run.conversation_ids) == 4
    for conversation_id in run.conversation_ids:
        response = httpx.get(
            f"{run.stack.rasa_url}/conversations/{conversation_id}/tracker",
            params={"token": run.stack.rasa_token, "include_events": "ALL"}, timeout=30,
        )
        assert response.status_code == 200, response.text
        tracker = response.json()
        said = [e.get("text") or "" for e in tracker["events"] if e["event"] == "user"]
        assert said, "the tracker holds the conversation"
        assert not found_in(response.text), (found_in(response.text), said)
    first = httpx.get(
        f"{run.stack.rasa_url}/conversations/{run.conversation_ids[0]}/tracker",
        params={"token": run.stack.rasa_token}, timeout=30,
    ).json()
    user_texts = [e["text"] for e in first["events"] if e["event"] == "user"]
    assert user_texts[0].startswith("HV here re Mrs [name], DOB [date], NHS [NHS number]")
    assert "[address] BD3 9" in user_texts[0]
    description = first["slots"].get("description") or ""
    assert "Mum can't bond" in description and "[name]" in description, (
        "the description slot is built from the redacted text"
    )


def test_redis_holds_no_detail(run: Run) -> None:
    if run.kind != "redis":
        pytest.skip("this configuration keeps Rasa's trackers in memory")
    dump = redis_text()
    assert "Mum can't bond" in dump, "the conversations are in Redis"
    assert not found_in(dump), found_in(dump)


def test_no_log_or_file_the_stack_wrote_holds_a_detail(run: Run) -> None:
    files = [p for p in sorted(run.stack.workdir.rglob("*")) if p.is_file()]
    logs = run.stack.log_files()
    assert {p.name for p in logs} >= {"api.log", "actions.log", "rasa.log"}
    assert "POST /api/v1/chat 200" in (run.stack.workdir / "api.log").read_text()
    for path in files:
        content = Path(path).read_bytes().decode("utf-8", errors="replace")
        assert not found_in(content), (path.name, found_in(content))


def test_the_urgent_answer_came_from_the_original_text(run: Run) -> None:
    """Redaction did not hide the red flag: the engine read the original."""
    urgent = run.replies["urgent"]["recommendation"]
    codes = [c["code"] for c in urgent["concerns"]]
    assert any(c.get("red_flag") for c in urgent["concerns"]), codes
    assert not found_in(json.dumps(urgent))
