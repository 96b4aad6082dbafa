"""Choosing one's own password: required after a one-time password, possible any time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.unit.web.conftest import PASSWORD, InMemoryAccountStore

SignIn = Callable[..., None]
ONE_TIME = "k7mq-2xdp-9rtw-hh4c"
OWN = "my very own passphrase"


@pytest.fixture
def newcomer(accounts: InMemoryAccountStore) -> str:
    accounts.add("nell", "admin", ONE_TIME, temporary=True)
    return "nell"


def change(client: FlaskClient, current: str, new: str, confirm: str | None = None, **query: str):
    return client.post(
        "/account/password" + (f"?next={query['next']}" if "next" in query else ""),
        data={"current_password": current, "new_password": new, "confirm_password": confirm or new},
    )


def test_a_one_time_password_leads_only_to_choosing_ones_own(
    client: FlaskClient, signed_in: SignIn, newcomer: str
) -> None:
    signed_in(client, newcomer, ONE_TIME)
    for path in ("/", "/admin/users", "/admin/users/add"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/account/password")
    assert client.post("/admin/users/add", data={}).status_code == 303
    page = client.get("/account/password").get_data(as_text=True)
    assert "Choose your own password" in page
    assert client.get("/accessibility").status_code == 200  # public pages stay open


def test_choosing_ones_own_password_goes_on_to_the_page_asked_for(
    client: FlaskClient, signed_in: SignIn, newcomer: str, accounts: InMemoryAccountStore
) -> None:
    signed_in(client, newcomer, ONE_TIME)
    asked = client.get("/admin/users")
    assert asked.headers["Location"] == "/account/password?next=/admin/users"
    done = change(client, ONE_TIME, OWN, next="/admin/users")
    assert done.status_code == 303
    assert done.headers["Location"] == "/admin/users"
    assert client.get("/admin/users").status_code == 200  # still signed in, on a new session
    account = accounts.get(newcomer)
    assert account is not None and not account.must_change_password
    assert accounts.authenticate(newcomer, ONE_TIME) is None
    assert accounts.authenticate(newcomer, OWN) is not None


@pytest.mark.parametrize(
    ("current", "new", "confirm", "error"),
    [
        ("wrong password entirely", OWN, OWN, "Your current password is not right"),
        (ONE_TIME, ONE_TIME, ONE_TIME, "Your new password must differ from the current one"),
        (ONE_TIME, "short", "short", "Password must be 12 characters or more"),
        (ONE_TIME, OWN, "something else", "Passwords must match"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client: FlaskClient,
    signed_in: SignIn,
    newcomer: str,
    accounts: InMemoryAccountStore,
    current: str,
    new: str,
    confirm: str,
    error: str,
) -> None:
    signed_in(client, newcomer, ONE_TIME)
    response = change(client, current, new, confirm)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and error in html
    assert accounts.authenticate(newcomer, ONE_TIME) is not None


def test_anyone_signed_in_can_change_their_password(
    client: FlaskClient, signed_in: SignIn, accounts: InMemoryAccountStore
) -> None:
    signed_in(client, "vic")
    assert "Change your password" in client.get("/account/password").get_data(as_text=True)
    assert change(client, PASSWORD, OWN).status_code == 303
    assert accounts.authenticate("vic", OWN) is not None


def test_the_header_says_who_is_signed_in(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "rae")
    html = client.get("/").get_data(as_text=True)
    assert "Signed in as <strong>rae</strong> (recorder)" in html
    assert client.get("/account/password").status_code == 200


def test_nobody_signed_in_is_sent_to_sign_in(client: FlaskClient) -> None:
    assert client.get("/account/password").status_code == 302
