"""Staff passwords: argon2 hashing and the rules a new password must meet.

A password must be at least 12 characters (long passphrases beat complexity
rules), not on the list of 30,000 most common passwords from public breaches
that ships in the ``zxcvbn`` package (no network needed), and not easy to
guess by zxcvbn's estimate (score 3 of 4 or better: dictionary words, names,
keyboard patterns, dates and repeats with small changes all count against it).
Hashes are argon2 with pwdlib's recommended parameters; a hash made with older
parameters is replaced at the next successful sign-in.
"""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # no stubs
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 is deliberately slow; refuse megabyte "passwords"
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable: moderate protection from offline attacks"
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; the first 72 characters are judged

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("not a real password, used to equalise timing")


class PasswordRuleError(ValueError):
    """A new password that breaks a rule; the message says which and what is accepted."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The breached-password frequency list inside the zxcvbn package."""
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


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
    user_inputs = [email, email.split("@")[0]] if email else []
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=user_inputs)["score"] < MIN_SCORE:
        raise PasswordRuleError(
            "That password would be easy to guess: it is close to a common password, a word, "
            "a name, a date or a keyboard pattern. Choose a longer, less predictable one, for "
            "example three or four unrelated words."
        )


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
    except (ValueError, PwdlibError):
        return False


def verify_and_update_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Like :func:`verify_password`, and a new hash when the stored one was made
    with other parameters (or another algorithm) than the current ones."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False, None
    try:
        return _hasher.verify_and_update(password[:MAX_LENGTH], password_hash)
    except (ValueError, PwdlibError):
        return False, None
