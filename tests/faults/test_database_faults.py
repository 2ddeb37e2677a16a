"""PostgreSQL going away and coming back, and a version published on one api
instance reaching another. The machine's PostgreSQL is never restarted: the
api reaches it through a TCP proxy (tests/support/tcp_proxy.py) that cuts
every connection and refuses new ones for a few seconds."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.faults.conftest import REFRESH_SECONDS, SETUP_TIMEOUT_SECONDS, Faults
from tests.support.admin_http import AdminBrowser

pytestmark = [pytest.mark.bot, pytest.mark.slow, pytest.mark.postgres,
              pytest.mark.timeout(SETUP_TIMEOUT_SECONDS)]

OUTAGE_SECONDS = 3.0
NEW_LINE = "Fault test: group sessions for dads, every Tuesday"
PUBLISHED_LINE = "Fault test: published on one instance"


def first_service_id(api_url: str) -> str:
    services = httpx.get(f"{api_url}/api/v1/services", timeout=10).json()
    items = services["services"] if isinstance(services, dict) else services
    service_id: str = items[0]["id"]
    return service_id


def does(api_url: str, service_id: str) -> list[str]:
    response = httpx.get(f"{api_url}/api/v1/services/{service_id}", timeout=10)
    assert response.status_code == 200, response.text
    lines: list[str] = response.json()["remit"]["does"]
    return lines


def test_an_edit_during_a_database_outage_fails_whole_and_the_api_recovers(
    faults: Faults,
) -> None:
    api = faults.stack.api_url
    service_id = first_service_id(api)
    admin = AdminBrowser(api, faults.database.url(), role="editor")
    try:
        original = admin.document("services", service_id)
        form = admin.edit_form("services", service_id)
        form["does"] = form["does"] + "\n" + NEW_LINE

        faults.pg_proxy.refuse()
        try:
            started = time.monotonic()
            failed = admin.save("services", service_id, form)
            assert time.monotonic() - started < 5, "a quick answer, not a hang"
            assert failed.status_code == 503, failed.text[:300]
            assert failed.headers.get("retry-after"), failed.headers
            assert "try again" in failed.text.lower(), failed.text[:300]
            # Practitioners still get answers: the knowledge held in memory
            # is served while the store cannot be read.
            answer = httpx.post(f"{api}/api/v1/recommendations", timeout=10, json={
                "description": "mum not bonding with baby since birth", "age": "3 months",
                "postcode": "BD3 9LF"})
            assert answer.status_code == 200, answer.text[:300]
            assert answer.json()["tier"].startswith("lmm_"), answer.text[:300]
            time.sleep(OUTAGE_SECONDS)
        finally:
            faults.pg_proxy.allow()

        # Nothing half-applied: the entry is as it was (the save never began).
        assert admin.document("services", service_id) == original

        # The same api, not restarted, serves and saves again (pool_pre_ping
        # replaces the connections the outage cut).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if httpx.get(f"{api}/api/v1/services/{service_id}", timeout=5).status_code == 200:
                break
            time.sleep(0.2)
        assert NEW_LINE not in does(api, service_id)
        form = admin.edit_form("services", service_id)
        form["does"] = form["does"] + "\n" + NEW_LINE
        saved = admin.save("services", service_id, form)
        assert saved.status_code == 200 and "Saved to the draft" in saved.text, saved.text[:300]
        assert NEW_LINE in admin.document("services", service_id)["does"]
    finally:
        admin.close()


def test_a_version_published_on_one_instance_is_served_by_the_other(
    faults: Faults, busy_api: str
) -> None:
    # Two api processes on the one database. The change is drafted and
    # published through the busy api's admin, checks and all (the rule
    # examples, the worked cases and the whole corpus, read with the draft);
    # each instance must serve it within its refresh interval, with no restart.
    first, second = busy_api, faults.stack.api_url
    service_id = first_service_id(first)
    assert PUBLISHED_LINE not in does(second, service_id)
    admin = AdminBrowser(first, faults.database.url(), role="admin")
    try:
        form = admin.edit_form("services", service_id)
        form["does"] = form["does"] + "\n" + PUBLISHED_LINE
        saved = admin.save("services", service_id, form)
        assert "Saved to the draft" in saved.text, saved.text[:300]
        assert PUBLISHED_LINE not in does(second, service_id), "a draft is not served"
        published = admin.publish("Fault test")
        assert published.status_code == 200, published.text[:500]
        assert "done=published" in str(published.url), published.text[:500]
    finally:
        admin.close()
    started = time.monotonic()
    waiting = {first, second}
    while waiting and time.monotonic() - started < REFRESH_SECONDS + 3:
        waiting = {url for url in waiting if PUBLISHED_LINE not in does(url, service_id)}
        time.sleep(0.1)
    assert not waiting, f"not served within {REFRESH_SECONDS} s + 3 s by {waiting}"
