"""Every bad admin input is a 400 that says why, never a 500: corrupt and
oversized zips, deeply nested or aliased YAML, non-UTF-8 files, non-ASCII and
out-of-range numbers, NUL characters, over-long and missing fields; and a
fuzz of every admin form and query parameter (hypothesis) finds no 5xx. Also:
importing needs the publisher role while a draft exists."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from api.admin import ADMIN_ROUTERS
from api.admin.forms import _flat, field_specs
from knowledge.content.edit import MODELS
from knowledge.content.safe_yaml import MAX_DEPTH
from knowledge.content.seed_files import FILES, dump_documents
from knowledge.content.transfer import MAX_MEMBERS
from knowledge.staff.accounts import find_user
from tests.admin.support import (
    csrf_from,
    edit_form,
    email_for,
    engine_of,
    form_token,
    knowledge_of,
    quick_session,
)

KINDS = ("services", "concerns", "areas", "postcodes", "rules", "volunteer")


def seed_zip(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(f"seed/{name}", data)
    return buffer.getvalue()


def import_files(client: TestClient, *uploads: tuple[str, bytes]) -> Any:
    token = form_token(client, "/admin/transfer")
    return client.post(
        "/admin/import", data={"csrf_token": token},
        files=[("files", (name, data, "application/octet-stream")) for name, data in uploads],
    )


def current_files(client: TestClient) -> dict[str, bytes | str]:
    return dict(dump_documents(knowledge_of(client)))


def assert_refused(response: Any, *reasons: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text[-2000:])
    for reason in reasons:
        assert reason in response.text, (reason, response.text[-2000:])


def lying_sizes(archive: bytes, claimed: int) -> bytes:
    """The same zip with every member claiming ``claimed`` bytes unzipped."""
    data = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            data[start + offset:start + offset + 4] = struct.pack("<I", claimed)
            start = data.find(signature, start + 4)
    return bytes(data)


def test_unreadable_uploads_are_refused_with_the_reason(admin_client: TestClient) -> None:
    quick_session(admin_client, "editor")
    good = seed_zip(current_files(admin_client))
    assert_refused(import_files(admin_client, ("content.zip", good[: len(good) // 2])),
                   "not a valid zip file")
    assert_refused(import_files(admin_client, ("content.zip", lying_sizes(good, 100))),
                   "cannot be unzipped")

    bomb = seed_zip({**current_files(admin_client), "services.yaml": b"\n" * 20_000_000})
    assert len(bomb) < 200_000, "20 MB unzipped from a small upload"
    assert_refused(import_files(admin_client, ("content.zip", bomb)),
                   "services.yaml in content.zip is too large")
    many = seed_zip({f"extra{i}.txt": "x" for i in range(MAX_MEMBERS + 1)})
    assert_refused(import_files(admin_client, ("content.zip", many)),
                   f"holds {MAX_MEMBERS + 1} entries")
    assert_refused(import_files(admin_client, *[(f"f{i}.yaml", b"[]") for i in range(7)]),
                   "Choose at most 6 files")

    deep = {**current_files(admin_client), "rules.yaml": "[" * 5000 + "]" * 5000}
    assert_refused(import_files(admin_client, ("content.zip", seed_zip(deep))),
                   f"rules.yaml is not valid YAML: it is nested more than {MAX_DEPTH} levels")
    laughs = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    aliased = {**current_files(admin_client), "areas.yaml": laughs}
    assert_refused(import_files(admin_client, ("content.zip", seed_zip(aliased))),
                   "YAML aliases (*name) are not accepted")
    latin1 = {**current_files(admin_client), "areas.yaml": "- name: Café".encode("latin-1")}
    assert_refused(import_files(admin_client, ("content.zip", seed_zip(latin1))),
                   "areas.yaml is not UTF-8 text")
    bad_date = {**current_files(admin_client), "areas.yaml": "- last: 2026-02-30\n"}
    assert_refused(import_files(admin_client, ("content.zip", seed_zip(bad_date))),
                   "areas.yaml is not valid YAML: a value cannot be read")
    assert admin_client.get("/admin/draft").status_code == 200
    assert "Imported into the draft" not in admin_client.get("/admin/transfer").text


def test_bad_numbers_in_forms_paths_and_queries(admin_client: TestClient) -> None:
    csrf = quick_session(admin_client, "admin")
    service_id = next(iter(knowledge_of(admin_client).services))
    form = edit_form(admin_client, "services", service_id)
    for revision in ("²", "١٢", "9" * 30, "-1"):
        update = admin_client.post(f"/admin/services/{quote(service_id)}",
                                   data={**form, "revision": revision})
        assert_refused(update, "The revision must be a whole number written with the digits 0-9")
        removal = admin_client.post(f"/admin/services/{quote(service_id)}/delete",
                                    data={"csrf_token": csrf, "revision": revision})
        assert_refused(removal, "The revision must be a whole number")
    rule = knowledge_of(admin_client).rules[0].id
    rule_form = edit_form(admin_client, "rules", rule)
    number_field = next(s.name for s in _flat(field_specs(MODELS["rules"])) if s.widget == "int")
    answer = admin_client.post(f"/admin/rules/{quote(rule)}",
                               data={**rule_form, number_field: "²"})
    assert_refused(answer, "must be a whole number written with the digits 0-9, like 24")

    for url in ("/admin/export?version=²", "/admin/export?version=99999999999999999999",
                "/admin/versions/diff?a=1&b=99999999999", "/admin/versions/diff?a=1",
                "/admin/versions/diff?a=%D9%A1&b=1", "/admin/versions?version=abc"):
        assert_refused(admin_client.get(url), "Some of what was sent cannot be used")
    for url in ("/admin/versions/99999999999999999999/rollback", "/admin/users/99999999999",
                "/admin/users/%C2%B2/sign-out"):
        assert_refused(admin_client.post(url, data={"csrf_token": csrf}),
                       "Some of what was sent cannot be used")


def test_nul_long_and_missing_fields(admin_client: TestClient) -> None:
    login = admin_client.get("/admin/login")
    for email in ("editor\x00@lmm.example.nhs.uk", "a" * 300 + "@example.org"):
        answer = admin_client.post("/admin/login", data={
            "email": email, "password": "whatever it is", "csrf_token": csrf_from(login.text),
        })
        assert_refused(answer)
    assert "at most 254 characters" in answer.text

    csrf = quick_session(admin_client, "admin")
    assert_refused(admin_client.post("/admin/users", data={
        "csrf_token": csrf, "email": "x@example.org", "name": "n" * 500, "role": "editor",
        "password": "violet kettle mortgage lantern",
    }), "name may be at most 120 characters long")
    assert_refused(admin_client.post("/admin/users", data={"csrf_token": csrf}))
    assert_refused(admin_client.get("/admin/services/a%00b"), "NUL character")
    assert_refused(admin_client.get("/admin/audit?action=%00"), "NUL character")
    malformed = admin_client.post(
        "/admin/preview", content=b"--x\r\nnot a part",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert malformed.status_code == 400
    non_utf8 = admin_client.post(
        "/admin/preview", content=b"csrf_token=" + csrf.encode() + b"&description=%ff%fe%fd",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert non_utf8.status_code < 500


def test_importing_over_a_draft_needs_the_publisher_role(admin_client: TestClient) -> None:
    quick_session(admin_client, "editor")
    files = current_files(admin_client)
    assert import_files(admin_client, ("content.zip", seed_zip(files))).status_code == 200, (
        "with no draft, an editor may import"
    )
    service_id = next(iter(knowledge_of(admin_client).services))
    form = edit_form(admin_client, "services", service_id)
    admin_client.post(f"/admin/services/{quote(service_id)}", data={**form, "name": "Kept"})

    refused = import_files(admin_client, ("content.zip", seed_zip(files)))
    assert refused.status_code == 403
    assert "Only a publisher can import while there is a draft" in refused.text
    assert "This needs the publisher role while there is a draft" in refused.text
    assert "Kept" in admin_client.get("/admin/draft").text, "the shared draft is untouched"

    quick_session(admin_client, "publisher")
    assert import_files(admin_client, ("content.zip", seed_zip(files))).status_code == 200
    assert "Kept" not in admin_client.get("/admin/draft").text


# --- the fuzz ---------------------------------------------------------------

NASTY = [
    "", " ", "²", "١٢", "٣", "9" * 30, "-1", "0", "1", "2", "\x00", "a\x00b", "x" * 3000,
    "[" * 200 + "]" * 200, "a: &a [1]\nb: *a", "2026-02-30", "{a: 1}", "- [", "é", "on", "yes",
    "no", "editor", "publisher", "admin", "../../etc/passwd", "//evil.example", "<script>",
    "\\\\evil", "/admin", "1e9", "NaN", "\r\n", "%00", "\ufeff", "\U0001d7d8",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
    st.integers(-(2**70), 2**70).map(str),
)
FUZZ = settings(
    max_examples=12, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)


def route_parameters(route: APIRoute) -> tuple[list[str], list[str], list[str]]:
    """(query, form, path) parameter names of an admin route, with the
    content forms' fields (read from the form directly, not declared)."""
    query: list[str] = []
    path: list[str] = []
    for param in get_flat_params(route.dependant):
        kind = type(param.field_info).__name__
        (path if kind == "Path" else query).append(param.name)
    form = [p.name for p in route.dependant.body_params]
    parts = route.path.split("/")
    if "POST" in (route.methods or ()) and len(parts) > 2 and parts[2] in KINDS:
        form += [s.name for s in _flat(field_specs(MODELS[parts[2]]))] + ["revision"]
    return sorted(set(query)), sorted(set(form)), sorted(set(path))


def admin_routes() -> list[tuple[str, APIRoute]]:
    routes: list[tuple[str, APIRoute]] = []
    for router in ADMIN_ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            methods = sorted(route.methods or ())
            routes += [(method, route) for method in methods if method != "HEAD"]
    return routes


def fill(pattern: str, path: dict[str, str]) -> str:
    for name, value in path.items():
        pattern = pattern.replace("{" + name + "}", quote(value, safe="") or "x")
    return pattern


def fuzz_route(client: TestClient, method: str, route: APIRoute, editor_id: str) -> None:
    """Hypothesis tries this route with nasty values in every parameter, signed
    in as an admin with a valid CSRF token (so the values reach the handler)."""
    query_names, form_names, path_names = route_parameters(route)
    keys = st.one_of(VALUE, st.sampled_from([editor_id, "1"]))

    @FUZZ
    @given(
        query=st.fixed_dictionaries({}, optional=dict.fromkeys(query_names, VALUE)),
        form=st.fixed_dictionaries({}, optional=dict.fromkeys(form_names, VALUE)),
        path=st.fixed_dictionaries(dict.fromkeys(path_names, keys)),
    )
    def attempt(query: dict[str, str], form: dict[str, str], path: dict[str, str]) -> None:
        client.cookies.clear()
        if route.path == "/admin/login" and method == "POST":
            token = csrf_from(client.get("/admin/login").text)
        else:
            token = quick_session(client, "admin")
        url = fill(route.path, path)
        response = client.request(
            method, url, params=query,
            data={**form, "csrf_token": token} if method == "POST" else None,
            follow_redirects=False,
        )
        assert response.status_code < 500, (method, url, query, form, response.text[-1500:])

    attempt()


def test_no_admin_form_or_query_parameter_gives_a_server_error(admin_client: TestClient) -> None:
    with Session(engine_of(admin_client)) as session:
        editor = find_user(session, email_for("editor"))
        assert editor is not None
        editor_id = str(editor.id)
    routes = admin_routes()
    for method, route in routes:
        fuzz_route(admin_client, method, route, editor_id)
    assert len(routes) >= 50


def nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)


@FUZZ
@given(
    name=st.sampled_from(["content.zip", *FILES.values(), "notes.txt"]),
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=300).map(lambda t: seed_zip({"services.yaml": t})),
        st.sampled_from(["[" * 300, "- {a: [", "x: !!binary AAAA", "- *a"]).map(str.encode),
        st.recursive(st.none() | st.integers() | st.text(max_size=10), nested,
                     max_leaves=20).map(lambda v: yaml.safe_dump(v).encode()),
    ),
)
def test_no_upload_gives_a_server_error(
    admin_client: TestClient, name: str, data: bytes
) -> None:
    quick_session(admin_client, "publisher")
    response = import_files(admin_client, (name, data))
    assert response.status_code < 500, (name, data[:200], response.text[-1500:])


@pytest.mark.parametrize("kind", KINDS)
def test_every_yaml_field_refuses_deep_nesting(admin_client: TestClient, kind: str) -> None:
    quick_session(admin_client, "editor")
    token = form_token(admin_client, f"/admin/{kind}/new")
    yaml_fields = [s.name for s in _flat(field_specs(MODELS[kind])) if s.widget == "yaml"]
    for name in yaml_fields:
        response = admin_client.post(f"/admin/{kind}/new", data={
            "csrf_token": token, name: "[" * 3000 + "]" * 3000,
        })
        assert_refused(response, f"nested more than {MAX_DEPTH} levels")
