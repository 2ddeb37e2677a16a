"""The first admin is created from the command line, with the password rules,
and sets up two-step sign-in at the first sign-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyotp

from tests.admin.support import PASSWORD, csrf_from
from tests.conftest import make_client

ROOT = Path(__file__).resolve().parents[2]


def _create_admin(database: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "knowledge.cli", "create-admin", "lead@lmm.example.nhs.uk",
         "--name", "LMM lead", "--password-stdin"],
        input=password + "\n", capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )


def test_create_admin_then_sign_in(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'navigator.db'}"
    weak = _create_admin(database, "password1234")
    assert weak.returncode == 2 and "common passwords" in weak.stderr
    created = _create_admin(database, PASSWORD)
    assert created.returncode == 0, created.stderr
    assert "Created admin account lead@lmm.example.nhs.uk" in created.stdout
    again = _create_admin(database, PASSWORD)
    assert again.returncode == 2 and "already an account" in again.stderr

    with make_client(database_url=database) as client:
        token = csrf_from(client.get("/admin/login").text)
        response = client.post("/admin/login", data={
            "email": "lead@lmm.example.nhs.uk", "password": PASSWORD, "csrf_token": token,
        }, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/admin/two-step"), (
            "the first admin sets up two-step sign-in straight after the password"
        )
        page = client.get(response.headers["location"]).text
        secret = page.split('<code id="totp-secret">')[1].split("<")[0].replace(" ", "")
        enrolled = client.post("/admin/two-step/enrol", data={
            "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page),
        })
        assert enrolled.status_code == 200 and "Your recovery codes" in enrolled.text
        assert "Accounts" in client.get("/admin").text, "an admin sees account management"
