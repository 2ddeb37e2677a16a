"""A publisher sets up two-step sign-in in the browser (the code computed from
the key the page shows), signs out, signs in with a code, then with a
recovery code, which is refused the second time; the two-step pages pass
axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from tests.browser.admin_support import AdminServer, current_code, prepare_database
from tests.browser.chat_page import serious_axe_violations
from tests.browser.live import start_api

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def new_publisher_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminServer]:
    """A live api whose publisher has not set up two-step sign-in yet."""
    data_dir = tmp_path_factory.mktemp("two-step-browser")
    email = "new.publisher@lmm.example.nhs.uk"
    prepare_database(data_dir, email, totp_secret=None)
    with start_api(data_dir, rasa_url="http://127.0.0.1:9") as server:
        yield AdminServer(server.url, email, "a browser test passphrase", data_dir)


def password_step(page: Any, server: AdminServer) -> None:
    page.goto(f"{server.url}/admin/login")
    page.get_by_label("Email address").fill(server.email)
    page.get_by_label("Password", exact=True).fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/admin/two-step**")


def code_step(page: Any, code: str) -> None:
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_out(page: Any, server: AdminServer) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{server.url}/admin/login")


def test_enrol_then_sign_in_with_a_code_and_a_recovery_code(
    page: Any, new_publisher_server: AdminServer
) -> None:
    server = new_publisher_server
    password_step(page, server)
    page.get_by_role("heading", name="Set up two-step sign-in").wait_for()
    problems = {"enrolment": serious_axe_violations(page)}
    assert page.locator("figure svg").count() == 1, "the QR code is shown"
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert f"secret={secret}" in page.locator("#totp-uri").inner_text()

    page.goto(f"{server.url}/admin/draft")
    assert "/admin/login" in page.url, "nothing else in the admin before enrolling"
    page.goto(f"{server.url}/admin/two-step")
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    problems["recovery codes"] = serious_axe_violations(page)
    codes = [code.strip() for code in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.wait_for_url(f"{server.url}/admin")
    sign_out(page, server)

    password_step(page, server)
    page.get_by_role("heading", name="Enter your code").wait_for()
    problems["code"] = serious_axe_violations(page)
    code_step(page, current_code(server))
    page.wait_for_url(f"{server.url}/admin")
    sign_out(page, server)

    password_step(page, server)
    code_step(page, codes[0])
    page.wait_for_url(f"{server.url}/admin")
    sign_out(page, server)

    password_step(page, server)
    code_step(page, codes[0])
    page.get_by_text("you have not used before").first.wait_for()
    assert "/admin/two-step" in page.url, "a used recovery code does not sign in"
    page.goto(f"{server.url}/admin")
    assert "/admin/login" in page.url
    assert {name: found for name, found in problems.items() if found} == {}
