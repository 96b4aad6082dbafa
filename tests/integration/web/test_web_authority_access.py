"""Roles per authority, as a matrix: who may read and record for which authority, on every
kind of route (pages, forms, the API, the overview), with real accounts and grants (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from entrypoints.bootstrap import LEDGER_BLUEPRINTS, Services
from tests.factories import record
from tests.integration.web.test_web_recording_forms import record_through
from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.config import WebConfig
from web.grants import DatabaseGrantStore, Grant

PASSWORD = "correct horse battery staple"
# Lancashire (the demo's, no region recorded), Blackpool (North West), Camden (London).
AUTHORITIES = ("lancashire", "blackpool", "camden")
USERS = {
    "ada": ("admin", []),
    "council": ("recorder", [Grant.authority("lancashire")]),
    "regional": ("viewer", [Grant.region("North West")]),
    "regional-recorder": ("recorder", [Grant.region("north-west")]),
    "national": ("viewer", [Grant.everything()]),
    "nobody": ("viewer", []),
}
READS = {
    "ada": {"lancashire", "blackpool", "camden"},
    "council": {"lancashire"},
    "regional": {"blackpool"},
    "regional-recorder": {"blackpool"},
    "national": {"lancashire", "blackpool", "camden"},
    "nobody": set(),
}
RECORDS = {
    "ada": {"lancashire", "blackpool", "camden"},
    "council": {"lancashire"},
    "regional-recorder": {"blackpool"},
}


@pytest.fixture
def app(sqlite_services: Services, tmp_path: Path, compiled_templates) -> Flask:
    record(
        sqlite_services.ledger,
        *(
            {
                "type": "AuthorityRegistered",
                "id": slug,
                "name": slug.title(),
                "region": region,
                "source": "test",
            }
            for slug, region in (("blackpool", "North West"), ("camden", "London"))
        ),
    )
    url = f"sqlite:///{tmp_path}/accounts.db"
    grants = DatabaseGrantStore(url)
    grants.ensure_table()
    accounts = DatabaseAccountStore(url)
    for name, (role, held) in USERS.items():
        accounts.add(name, role, PASSWORD)
        for grant in held:
            grants.grant(name, grant)
    config = WebConfig(
        secret_key="access-matrix-secret-key-long",
        session_cookie_secure=False,
        csrf_enabled=False,
        testing=True,
    )
    built = create_app(
        config,
        accounts=accounts,
        grants=grants,
        blueprints=[factory(sqlite_services.journey) for factory in LEDGER_BLUEPRINTS],
    )
    built.jinja_env.bytecode_cache = compiled_templates
    return built


_clients: dict[tuple[int, str], FlaskClient] = {}


def client(app: Flask, name: str) -> FlaskClient:
    key = (id(app), name)
    if key not in _clients:
        signed_in = app.test_client()
        response = signed_in.post("/sign-in", data={"name": name, "password": PASSWORD})
        assert response.status_code == 303
        _clients[key] = signed_in
    return _clients[key]


READ_ROUTES = (
    "/authorities/{slug}",
    "/authorities/{slug}/timeline",
    "/authorities/{slug}/recommendations",
    "/authorities/{slug}/actions",
    "/authorities/{slug}/indicators",
    "/authorities/{slug}/people",
    "/api/authorities/{slug}",
    "/api/authorities/{slug}/people",
    "/api/authorities/{slug}/deadlines",
    "/api/authorities/{slug}/judgements",
    "/api/authorities/{slug}/timeline",
    "/authorities/{slug}/download/actions.csv",
    "/authorities/{slug}/download/judgements.xlsx",
    "/authorities/{slug}/pack",
)


@pytest.mark.parametrize("user", list(USERS))
def test_each_user_reads_exactly_the_authorities_granted(app: Flask, user: str) -> None:
    for slug in AUTHORITIES:
        for route in READ_ROUTES:
            path = route.format(slug=slug)
            status = client(app, user).get(path).status_code
            assert status == (200 if slug in READS[user] else 403), (user, path, status)


@pytest.mark.parametrize("user", list(USERS))
def test_each_user_brings_in_plans_exactly_for_the_authorities_granted(
    app: Flask, user: str
) -> None:
    for slug in AUTHORITIES:
        status = client(app, user).get(f"/authorities/{slug}/record/plan").status_code
        assert status == (200 if slug in RECORDS.get(user, set()) else 403), (user, slug, status)


@pytest.mark.parametrize("user", list(USERS))
def test_each_user_records_exactly_for_the_authorities_granted(
    app: Flask, user: str, sqlite_services: Services
) -> None:
    for slug in AUTHORITIES:
        before = sqlite_services.ledger.fingerprint()
        url = f"/authorities/{slug}/record/decision"
        answers = {
            "ref": f"cabinet-{user}",
            "body": "Cabinet",
            "date": ["7", "2", "2019"],
            "title": "Further investment",
            "source": "minutes",
        }
        form = client(app, user).get(url)
        allowed = slug in RECORDS.get(user, set())
        assert form.status_code == (200 if allowed else 403), (user, slug)
        if allowed:
            recorded = record_through(client(app, user), url, answers)
            assert recorded.status_code == 303, (user, slug)
            assert sqlite_services.ledger.fingerprint() != before, (user, slug)
            continue
        # Neither the check page nor a confirmation posted straight away gets through.
        checked = client(app, user).post(url, data=answers)
        confirmed = client(app, user).post(url, data={**answers, "confirm": "1"})
        assert (checked.status_code, confirmed.status_code) == (403, 403), (user, slug)
        assert sqlite_services.ledger.fingerprint() == before, (user, slug)


@pytest.mark.parametrize("user", list(USERS))
def test_lists_and_the_overview_show_only_what_is_granted(app: Flask, user: str) -> None:
    listed = client(app, user).get("/api/authorities").get_json()["authorities"]
    assert {a["slug"] for a in listed} == READS[user]
    overview = client(app, user).get("/api/overview").get_json()["authorities"]
    assert {a["slug"] for a in overview} == READS[user]
    page = client(app, user).get("/overview").get_data(as_text=True)
    for slug in AUTHORITIES:
        assert (f'href="/authorities/{slug}"' in page) == (slug in READS[user]), (user, slug)
    dashboard = client(app, user).get("/dashboard")
    if len(READS[user]) == 1:
        assert dashboard.status_code == 200  # the only one shown at once
        assert next(iter(READS[user])).title()[:5] in dashboard.get_data(as_text=True)
    else:
        chooser = dashboard.get_data(as_text=True)
        for slug in AUTHORITIES:
            assert (f'href="/authorities/{slug}"' in chooser) == (slug in READS[user])


@pytest.mark.parametrize(("user", "status"), [("ada", 200), ("council", 403), ("nobody", 403)])
def test_only_a_user_whose_role_applies_everywhere_registers_authorities(
    app: Flask, user: str, status: int
) -> None:
    assert client(app, user).get("/record/authority").status_code == status


def test_a_grant_left_by_a_removed_account_does_not_pass_to_a_new_one_of_that_name(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/accounts.db"
    grants = DatabaseGrantStore(url)
    grants.ensure_table()
    accounts = DatabaseAccountStore(url)
    accounts.add("sam", "viewer", PASSWORD)
    grants.grant("sam", Grant.everything())
    accounts.remove("sam")
    # The grant is older than the account added next under the same name.
    import sqlite3

    with sqlite3.connect(tmp_path / "accounts.db") as connection:
        connection.execute("UPDATE account_grants SET granted_at = '2000-01-01T00:00:00+00:00'")
    accounts.add("sam", "viewer", PASSWORD)
    assert grants.grants_of("sam") == ()


def test_accounts_made_before_grants_existed_keep_every_authority(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/accounts.db"
    DatabaseAccountStore(url).add("old-timer", "recorder", PASSWORD)
    grants = DatabaseGrantStore(url)  # the table is made now, with the account already there
    assert grants.grants_of("old-timer") == (Grant.everything(),)
    DatabaseAccountStore(url).add("newcomer", "viewer", PASSWORD)
    assert grants.grants_of("newcomer") == ()
