"""The admin user-management pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.unit.web.conftest import PASSWORD
from web.accounts import AccountStore, Role

SignIn = Callable[[FlaskClient, str], None]
NEW_PASSWORD = "another long passphrase"


@pytest.fixture
def admin(client: FlaskClient, signed_in: SignIn) -> FlaskClient:
    signed_in(client, "ada")
    return client


def test_lists_users_with_roles_and_change_links(admin: FlaskClient) -> None:
    html = admin.get("/admin/users").get_data(as_text=True)
    for name, role in [("ada", "Admin"), ("rae", "Recorder"), ("vic", "Viewer")]:
        assert f'<th scope="row" class="govuk-table__header">{name}</th>' in html
        assert role in html
    assert 'href="/admin/users/vic/role"' in html
    assert 'href="/admin/users/ada/role"' not in html  # not your own


def test_users_link_shows_in_navigation_for_admins_only(
    client: FlaskClient, signed_in: SignIn
) -> None:
    signed_in(client, "ada")
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)
    client.post("/sign-out")
    signed_in(client, "rae")
    assert 'href="/admin/users"' not in client.get("/").get_data(as_text=True)


def test_adds_a_user(admin: FlaskClient, accounts: AccountStore) -> None:
    response = admin.post(
        "/admin/users/add",
        data={
            "name": "Nell",
            "role": "recorder",
            "password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users"
    assert "Added nell as recorder" in admin.get("/admin/users").get_data(as_text=True)
    added = accounts.get("nell")
    assert added is not None
    assert added.role is Role.RECORDER
    assert accounts.authenticate("nell", NEW_PASSWORD) is not None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "role": "viewer"}, '<a href="#name">Enter a user name</a>'),
        ({"name": "nell"}, '<a href="#role">Select a role</a>'),
        (
            {"name": "nell", "role": "viewer", "password": "short"},
            '<a href="#password">Password must be 12 characters or more</a>',
        ),
        (
            {"name": "nell", "role": "viewer", "confirm_password": "something else!"},
            '<a href="#confirm_password">Passwords must match</a>',
        ),
        ({"name": "vic", "role": "viewer"}, "There is already a user called &#39;vic&#39;"),
        ({"name": "no spaces", "role": "viewer"}, "User name must start with a letter"),
    ],
    ids=["no-name", "no-role", "short-password", "mismatch", "taken", "bad-name"],
)
def test_add_user_errors(
    admin: FlaskClient, accounts: AccountStore, form: dict[str, str], message: str
) -> None:
    data = {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, **form}
    response = admin.post("/admin/users/add", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Add a user" in html
    assert message in html
    assert len(accounts.list()) == 3


def test_changes_a_role(admin: FlaskClient, accounts: AccountStore) -> None:
    form = admin.get("/admin/users/vic/role").get_data(as_text=True)
    assert 'value="viewer" checked' in form
    response = admin.post("/admin/users/vic/role", data={"role": "recorder"})
    assert response.status_code == 303
    vic = accounts.get("vic")
    assert vic is not None
    assert vic.role is Role.RECORDER


def test_cannot_change_own_role(admin: FlaskClient, accounts: AccountStore) -> None:
    response = admin.post("/admin/users/ada/role", data={"role": "viewer"})
    assert response.status_code == 200
    assert "You cannot change your own role" in response.get_data(as_text=True)
    ada = accounts.get("ada")
    assert ada is not None
    assert ada.role is Role.ADMIN


def test_change_role_of_unknown_user_is_404(admin: FlaskClient) -> None:
    assert admin.get("/admin/users/ghost/role").status_code == 404


# -- resetting passwords and disabling accounts ------------------------------------------------


def one_time_password_in(html: str) -> str:
    match = re.search(r'id="one-time-password">([^<]+)<', html)
    assert match, "no one-time password on the page"
    return match.group(1)


def test_a_reset_shows_a_one_time_password_once_and_ends_the_users_sessions(
    admin: FlaskClient, app: Flask, accounts: AccountStore, signed_in: SignIn
) -> None:
    vic = app.test_client()
    signed_in(vic, "vic")
    assert vic.get("/").status_code == 200

    confirm = admin.get("/admin/users/vic/password").get_data(as_text=True)
    assert "Reset the password of vic" in confirm
    response = admin.post("/admin/users/vic/password")
    assert response.status_code == 200
    password = one_time_password_in(response.get_data(as_text=True))
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", password)

    reset = accounts.get("vic")
    assert reset is not None and reset.must_change_password
    assert accounts.authenticate("vic", PASSWORD) is None  # the old password no longer works
    assert accounts.authenticate("vic", password) is not None
    assert vic.get("/").status_code == 302  # signed out: the stamp changed
    # Shown once: nothing of it is kept to show again.
    assert password not in admin.get("/admin/users").get_data(as_text=True)


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(
    admin: FlaskClient, app: Flask, accounts: AccountStore, signed_in: SignIn
) -> None:
    rae = app.test_client()
    signed_in(rae, "rae")
    assert admin.post("/admin/users/rae/access").status_code == 303
    users = admin.get("/admin/users").get_data(as_text=True)
    assert "The account rae is disabled: they cannot sign in" in users
    assert "Disabled" in users
    assert rae.get("/").status_code == 302
    again = app.test_client()
    refused = again.post("/sign-in", data={"name": "rae", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Enter a correct user name and password" in refused.get_data(as_text=True)

    assert admin.post("/admin/users/rae/access").status_code == 303  # enabled again
    account = accounts.get("rae")
    assert account is not None and not account.disabled
    signed_in(again, "rae")


@pytest.mark.parametrize("path", ["/admin/users/ada/password", "/admin/users/ada/access"])
def test_an_admin_cannot_reset_or_disable_their_own_account(admin: FlaskClient, path: str) -> None:
    assert admin.get(path).status_code == 403
    assert admin.post(path).status_code == 403


@pytest.mark.parametrize("path", ["/admin/users/vic/password", "/admin/users/vic/access"])
def test_only_admins_reset_or_disable(client: FlaskClient, signed_in: SignIn, path: str) -> None:
    signed_in(client, "rae")
    assert client.get(path).status_code == 403
    assert client.post(path).status_code == 403


def test_resetting_or_disabling_an_unknown_user_is_not_found(admin: FlaskClient) -> None:
    assert admin.get("/admin/users/ghost/password").status_code == 404
    assert admin.post("/admin/users/ghost/access").status_code == 404
