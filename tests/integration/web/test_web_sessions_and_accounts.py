"""Sessions end on the server, sign-in attempts are counted in the database, and accounts are
checked against their own sealed audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from entrypoints.cli.main import main
from tests.integration.ledger.schema_catalogue import postgres_connection
from web.accounts import DatabaseAccountStore, Role
from web.app import create_app
from web.auth.audited_accounts import acting
from web.config import WebConfig

PASSWORD = "correct horse battery staple"
MakeApp = Callable[..., Flask]


@pytest.fixture
def services(make_services: Callable[..., Services]) -> Services:
    services = make_services()
    acting.set("test-admin")
    services.accounts.add("ada", Role.ADMIN, PASSWORD)
    services.accounts.add("vic", Role.VIEWER, PASSWORD)
    return services


@pytest.fixture
def make_app(services: Services) -> MakeApp:
    """The app as the composition root builds it (its accounts, sessions and attempts in the
    ledger's database); each call is another web worker."""

    def build(**overrides: Any) -> Flask:
        config = WebConfig(
            secret_key="sessions-test-secret-key-long-enough",
            session_cookie_secure=False,
            csrf_enabled=False,
            testing=True,
            **overrides,
        )
        return create_app(
            config,
            accounts=services.accounts,
            sessions=services.sessions,
            attempts=services.sign_in_attempts,
        )

    return build


def sign_in(
    client: FlaskClient, name: str, password: str = PASSWORD, address: str = "10.0.0.1"
) -> int:
    response = client.post(
        "/sign-in",
        data={"name": name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def _sql(services: Services, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run SQL on the ledger's database as someone with direct access would."""
    if services.storage.kind == "sqlite":
        import sqlite3

        with sqlite3.connect(str(services.storage.sqlite_path)) as conn:
            conn.execute(statement, params)
        return
    schema = services.storage.schema
    with postgres_connection(services.storage.url) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute(statement.replace("?", "%s"), params)


# -- sessions ---------------------------------------------------------------------------------


def test_signing_out_ends_the_session_on_the_server(make_app: MakeApp) -> None:
    app = make_app()
    client = app.test_client()
    assert sign_in(client, "vic") == 303
    cookie = client.get_cookie("session")
    assert cookie is not None and client.get("/").status_code == 200
    client.post("/sign-out")
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/").status_code == 302  # the copied cookie is worth nothing now


@pytest.mark.parametrize(("idle", "ends"), [(29, False), (31, True)])
def test_a_session_idle_longer_than_half_an_hour_ends(
    make_app: MakeApp, services: Services, idle: int, ends: bool
) -> None:
    client = make_app().test_client()
    sign_in(client, "vic")
    then = (datetime.now(UTC) - timedelta(minutes=idle)).isoformat(timespec="microseconds")
    _sql(services, "UPDATE web_sessions SET last_used = ?", (then,))
    assert client.get("/").status_code == (302 if ends else 200)


def test_the_idle_timeout_is_configurable(make_app: MakeApp, services: Services) -> None:
    client = make_app(session_idle_timeout=timedelta(minutes=5)).test_client()
    sign_in(client, "vic")
    then = (datetime.now(UTC) - timedelta(minutes=6)).isoformat(timespec="microseconds")
    _sql(services, "UPDATE web_sessions SET last_used = ?", (then,))
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        lambda accounts: accounts.set_password("vic", "a brand new passphrase"),
        lambda accounts: accounts.set_role("vic", Role.RECORDER),
        lambda accounts: accounts.remove("vic"),
    ],
    ids=["password change", "role change", "removal"],
)
def test_sessions_end_when_their_account_changes(
    make_app: MakeApp, services: Services, change: Callable[[Any], Any]
) -> None:
    client = make_app().test_client()
    sign_in(client, "vic")
    assert client.get("/").status_code == 200
    change(services.accounts)
    assert client.get("/").status_code == 302


# -- sign-in attempts -------------------------------------------------------------------------


def test_failures_are_counted_across_workers_per_account_and_address(make_app: MakeApp) -> None:
    workers = [make_app().test_client(), make_app().test_client()]
    for attempt in range(5):
        assert sign_in(workers[attempt % 2], "vic", "wrong password!") == 200
    # The sixth, even with the right password, on either worker: locked for vic from here.
    locked = workers[1].post(
        "/sign-in",
        data={"name": "vic", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Other people are not affected" in locked.get_data(as_text=True)
    # Others behind the same address (a council office) sign in; vic can from elsewhere.
    assert sign_in(make_app().test_client(), "ada") == 303
    assert sign_in(make_app().test_client(), "vic", address="10.9.9.9") == 303


def test_too_many_failures_from_anywhere_lock_the_account_until_an_admin_lifts_it(
    make_app: MakeApp,
) -> None:
    app = make_app(account_lock_limit="3 per hour")
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert sign_in(app.test_client(), "vic", "wrong password!", address) == 200
    assert sign_in(app.test_client(), "vic", address="10.0.0.4") == 429

    admin = app.test_client()
    assert sign_in(admin, "ada", address="10.1.1.1") == 303
    users = admin.get("/admin/users").get_data(as_text=True)
    assert "Locked from signing in" in users and "vic, until" in users
    assert admin.post("/admin/users/vic/unlock").status_code == 303
    assert sign_in(app.test_client(), "vic", address="10.0.0.4") == 303


def test_an_admin_can_lift_a_lock_from_the_command_line(
    make_app: MakeApp, services: Services
) -> None:
    app = make_app(account_lock_limit="2 per hour")
    for address in ("10.0.0.1", "10.0.0.2"):
        sign_in(app.test_client(), "vic", "wrong password!", address)
    assert sign_in(app.test_client(), "vic") == 429
    result = CliRunner().invoke(
        main, ["--database", services.storage.url, "user", "unlock", "vic"], catch_exceptions=False
    )
    assert result.exit_code == 0 and "vic can sign in again" in result.output
    assert sign_in(app.test_client(), "vic") == 303


# -- the accounts audit trail -----------------------------------------------------------------


def test_every_change_and_sign_in_is_in_the_sealed_trail(
    make_app: MakeApp, services: Services
) -> None:
    sign_in(make_app().test_client(), "vic")
    services.accounts.set_role("vic", Role.RECORDER)
    services.accounts.set_password("vic", "another long passphrase")
    services.accounts.remove("vic")
    trail = services.accounts.audit
    details = [(e.name, e.detail, e.by) for e in reversed(trail.history())]
    assert details == [
        ("ada", "created as admin", "test-admin"),
        ("vic", "created as viewer", "test-admin"),
        ("vic", "signed in (local-password)", ""),
        ("vic", "role changed from viewer to recorder", "test-admin"),
        ("vic", "password reset", "test-admin"),
        ("vic", "removed", "test-admin"),
    ]
    assert trail.verify().intact
    assert trail.fingerprint() != services.ledger.fingerprint()  # a chain of its own
    with pytest.raises(Exception, match="append-only"):
        _sql(services, "DELETE FROM accounts_events")


def test_an_account_changed_outside_the_ledger_cannot_sign_in_and_is_shown_to_admins(
    make_app: MakeApp, services: Services
) -> None:
    app = make_app()
    vic = app.test_client()
    assert sign_in(vic, "vic") == 303
    _sql(services, "UPDATE accounts SET role = 'admin' WHERE name = 'vic'")

    assert vic.get("/").status_code == 302  # its session ended
    assert sign_in(app.test_client(), "vic") == 200  # and it cannot sign in
    admin = app.test_client()
    assert sign_in(admin, "ada") == 303
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Changed outside the ledger" in page
    assert "admin, credential" in page and "viewer, credential" in page
    assert 'id="trail-verified"' in page

    result = CliRunner().invoke(
        main, ["--database", services.storage.url, "user", "history"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "CHANGED OUTSIDE THE LEDGER: vic" in result.stderr

    # Setting the role through the ledger records what it should be: vic signs in again.
    services.accounts.set_role("vic", Role.ADMIN)
    assert sign_in(app.test_client(), "vic") == 303


def test_a_password_hash_swapped_in_directly_does_not_sign_in(
    make_app: MakeApp, services: Services
) -> None:
    other = DatabaseAccountStore(services.storage.url)
    other.set_password("ada", "the attacker's own password")  # the table only, no trail
    assert sign_in(make_app().test_client(), "ada", "the attacker's own password") == 200


def test_accounts_made_before_the_trail_are_taken_into_it_at_init(
    make_services: Callable[..., Services],
) -> None:
    first = make_services()
    DatabaseAccountStore(first.storage.url).add("old", Role.RECORDER, PASSWORD)  # no trail
    unknown = first.accounts.get("old")
    assert unknown is not None and unknown.disabled  # unknown to the trail: cannot sign in
    again = make_services()  # what `ledger init` does
    adopted = again.accounts.get("old")
    assert adopted is not None and not adopted.disabled
    (entry,) = [e for e in again.accounts.audit.history() if e.name == "old"][-1:]
    assert entry.detail in ("taken into the audit trail as found", "created as recorder")


def test_ledger_verify_verifies_the_accounts_trail_too(services: Services) -> None:
    result = CliRunner().invoke(
        main, ["--database", services.storage.url, "verify"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "verified: accounts audit trail intact, 2 events" in result.output
