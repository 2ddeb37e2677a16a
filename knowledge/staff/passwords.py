"""Staff passwords: argon2 hashing and the rules a new password must meet.

A password must be at least 12 characters (long passphrases beat complexity
rules) and not on a short list of passwords attackers try first.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pwdlib import PasswordHash

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 is deliberately slow; refuse megabyte "passwords"
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("not a real password, used to equalise timing")


class PasswordRuleError(ValueError):
    """A new password that breaks a rule; the message says which and what is accepted."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def check_password_rules(password: str, email: str = "") -> None:
    """Raise PasswordRuleError when ``password`` may not be used."""
    if len(password) < MIN_LENGTH:
        raise PasswordRuleError(f"Password must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"Password must be at most {MAX_LENGTH} characters long.")
    lowered = password.lower()
    if lowered in common_passwords():
        raise PasswordRuleError(
            "That password is on a list of common passwords. Choose a longer, less "
            "predictable one, for example three or four unrelated words."
        )
    if email and lowered == email.lower():
        raise PasswordRuleError("Password must not be the same as the email address.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when the password matches; checks a dummy hash when there is no
    account, so response time does not reveal which emails exist."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    try:
        return _hasher.verify(password[:MAX_LENGTH], password_hash)
    except ValueError:
        return False
