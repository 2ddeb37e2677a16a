"""The password policy uses the breached-password list shipped in zxcvbn, and
stored hashes are upgraded when the hashing parameters change."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session

from knowledge.staff import passwords
from knowledge.staff.accounts import find_user
from knowledge.staff.passwords import PasswordRuleError, check_password_rules
from tests.admin.support import PASSWORD, email_for, engine_of, sign_in


def test_the_list_is_the_large_maintained_one() -> None:
    listed = passwords.common_passwords()
    assert len(listed) >= 29_000, "zxcvbn's 30,000 breached passwords, not a short list"
    assert {"password", "qwerty123456", "1qaz2wsx3edc"} <= listed
    assert not hasattr(passwords, "COMMON_PASSWORDS_FILE"), "the old hand-made list is gone"


@pytest.mark.parametrize("password", [
    "qwerty123456", "1q2w3e4r5t6y", "Password1234", "leavemealone", "123456654321",
])
def test_breached_passwords_are_refused(password: str) -> None:
    with pytest.raises(PasswordRuleError, match="list of common passwords"):
        check_password_rules(password)


@pytest.mark.parametrize("password", [
    "jennifer1985!", "aaaaaaaaaaaaaaa", "abcdefghijklmnop", "Welcome2026!", "september2026",
])
def test_easily_guessed_passwords_are_refused(password: str) -> None:
    with pytest.raises(PasswordRuleError, match="easy to guess"):
        check_password_rules(password)


def test_a_password_built_from_the_email_is_refused() -> None:
    with pytest.raises(PasswordRuleError):
        check_password_rules("florence.nightingale1", "florence.nightingale@lmm.example.nhs.uk")


@pytest.mark.parametrize("password", [
    PASSWORD, "a long enough passphrase", "violet kettle mortgage lantern", "x" * 20 + "Zq#7v!Lp",
])
def test_good_passphrases_are_accepted(password: str) -> None:
    check_password_rules(password, "someone@lmm.example.nhs.uk")


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(
    admin_client: TestClient,
) -> None:
    old = Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("editor"))
        assert user is not None
        user.password_hash = old
        session.add(user)
        session.commit()
    assert sign_in(admin_client, "editor", password="not the password").status_code == 400
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("editor"))
        assert user is not None and user.password_hash == old, "a wrong password changes nothing"
    assert sign_in(admin_client, "editor").status_code == 303
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("editor"))
        assert user is not None
        upgraded = user.password_hash
    assert upgraded != old and "m=65536,t=3,p=4" in upgraded
    assert passwords.verify_password(PASSWORD, upgraded)
    admin_client.cookies.clear()
    assert sign_in(admin_client, "editor").status_code == 303
    with Session(engine_of(admin_client)) as session:
        user = find_user(session, email_for("editor"))
        assert user is not None and user.password_hash == upgraded, "current hashes are kept"
