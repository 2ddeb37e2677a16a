"""Command line for the knowledge base: migrate, seed, import postcodes, create an admin.

Usage: ``.venv/bin/python -m knowledge.cli <command>`` (``--help`` lists them).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from knowledge.content.versions import ensure_seeded, latest_published
from knowledge.content.versions import load_knowledge as load_version
from knowledge.db import make_engine, migrate_database
from knowledge.postcodes.importer import PostcodeFileError, import_postcodes
from knowledge.settings import get_database_settings
from knowledge.staff.accounts import AccountError, create_user
from knowledge.staff.audit import record as audit

NEIGHBOUR_LA_CODES = {
    "E08000032",  # Bradford
    "E08000035",  # Leeds
    "E08000033",  # Calderdale
    "E08000034",  # Kirklees
    "E08000036",  # Wakefield
    "E06000065",  # North Yorkshire
    "E07000163",  # Craven (before April 2023)
}


def _engine() -> Engine:
    """The app's database, migrated first (as MIGRATION_DATABASE_URL's role when set)."""
    settings = get_database_settings()
    engine = make_engine(settings.database_url)
    migrate_database(engine, settings.migration_database_url)
    return engine


def cmd_migrate(_args: argparse.Namespace) -> int:
    _engine().dispose()
    print("The database schema is up to date.")
    return 0


def cmd_seed(_args: argparse.Namespace) -> int:
    with Session(_engine()) as session:
        version = ensure_seeded(session)
    print(f"Published knowledge version {version.id}.")
    return 0


def cmd_import_postcodes(args: argparse.Namespace) -> int:
    path = Path(args.csv)
    if not path.is_file():
        print(f"No such file: {path}", file=sys.stderr)
        return 2
    la_filter = None if args.all else NEIGHBOUR_LA_CODES
    try:
        result = import_postcodes(_engine(), path, la_filter=la_filter)
    except PostcodeFileError as exc:
        print(f"Cannot import {path.name}: {exc}", file=sys.stderr)
        return 2
    print(f"Imported {result.rows} postcodes ({result.skipped} skipped).")
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    engine = _engine()
    with Session(engine) as session:
        version = latest_published(session)
        if version is None or version.id is None:
            print("No published version. Run: python -m knowledge.cli seed", file=sys.stderr)
            return 1
        knowledge = load_version(session, version.id)
    print(
        f"Version {knowledge.version}: {len(knowledge.services)} services, "
        f"{len(knowledge.concerns)} concerns, {len(knowledge.rules)} rules, "
        f"{len(knowledge.postcodes)} postcode districts/sectors."
    )
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    """Create an admin account: the first one, or a new one when nobody can sign in."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password (12+ characters): ")
        if getpass.getpass("Same password again: ") != password:
            print("The two passwords differ; nothing was created.", file=sys.stderr)
            return 2
    with Session(_engine()) as session:
        try:
            user = create_user(session, args.email, args.name or args.email, "admin", password)
        except AccountError as exc:
            print(f"Cannot create the account: {exc}", file=sys.stderr)
            return 2
        email = user.email
        audit(session, "command line", "account_created", email, "role admin")
    print(
        f"Created admin account {email}. Sign in at /admin/login: you will set up two-step "
        "sign-in (an authenticator app) straight after the password."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "migrate", help="bring the schema up to date (as MIGRATION_DATABASE_URL when set)"
    ).set_defaults(func=cmd_migrate)
    commands.add_parser(
        "seed", help="create the schema and publish the seed content if empty"
    ).set_defaults(func=cmd_seed)
    importer = commands.add_parser("import-postcodes", help="import an ONSPD/NSPL CSV file")
    importer.add_argument(
        "csv", help="path to the ONSPD or NSPL CSV (columns pcds, oslaua/laua, osward/ward)"
    )
    importer.add_argument(
        "--all",
        action="store_true",
        help="keep every local authority, not only Bradford and its neighbours",
    )
    importer.set_defaults(func=cmd_import_postcodes)
    commands.add_parser("check", help="print what the published version holds").set_defaults(
        func=cmd_check
    )
    admin = commands.add_parser("create-admin", help="create an admin account for /admin")
    admin.add_argument("email", help="the admin's email address (their sign-in name)")
    admin.add_argument("--name", default="", help="the admin's name as shown in the audit log")
    admin.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of prompting",
    )
    admin.set_defaults(func=cmd_create_admin)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
