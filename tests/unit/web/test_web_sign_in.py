"""Signing in and out, and the sign-in guard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from web.accounts import AccountStore, Role

SignIn = Callable[[FlaskClient, str], None]
PASSWORD = "correct horse battery staple"


def test_signed_out_visitor_is_sent_to_sign_in_and_back(client: FlaskClient) -> None:
    response = client.get("/admin/users?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/admin/users?page%3D2"

    signed = client.post(
        "/sign-in?next=/admin/users?page%3D2", data={"name": "ada", "password": PASSWORD}
    )
    assert signed.status_code == 303
    assert signed.headers["Location"] == "/admin/users?page=2"


def test_sign_in_page_shows_the_form(client: FlaskClient) -> None:
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Sign in – Improvement journey ledger</title>" in html
    assert 'autocomplete="username"' in html
    assert 'type="password"' in html


def test_good_credentials_sign_in_whatever_the_case(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"name": "  ADA ", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "You are signed in as <strong>ada</strong> (admin)" in home.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "password"),
    [("ada", "wrong password here"), ("nobody", PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_show_the_error_summary(
    client: FlaskClient, name: str, password: str
) -> None:
    response = client.post("/sign-in", data={"name": name, "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Sign in – Improvement journey ledger</title>" in html
    assert "govuk-error-summary" in html
    assert '<a href="#name">Enter a correct user name and password</a>' in html
    assert client.get("/").status_code == 302  # still signed out


def test_empty_form_names_each_missing_field(client: FlaskClient) -> None:
    html = client.post("/sign-in", data={"name": "", "password": ""}).get_data(as_text=True)
    assert '<a href="#name">Enter your user name</a>' in html
    assert '<a href="#password">Enter your password</a>' in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_sign_in_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"name": "ada", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_signed_in_user_visiting_sign_in_goes_home(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_out_is_a_post_that_ends_the_session(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200

    response = client.post("/sign-out")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert "You have signed out" in page
    assert client.get("/").status_code == 302


def test_protected_post_without_sign_in_is_401(client: FlaskClient) -> None:
    response = client.post("/admin/users/add", data={"name": "x"})
    assert response.status_code == 401
    assert "You need to sign in" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/accessibility", "/cookies", "/privacy", "/healthz"])
def test_public_pages_need_no_sign_in(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_healthz_is_plain_text(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"


def test_removed_user_is_signed_out_at_once(
    client: FlaskClient, signed_in: SignIn, accounts: AccountStore
) -> None:
    signed_in(client, "vic")
    accounts.remove("vic")
    assert client.get("/").status_code == 302


def test_password_change_ends_existing_sessions(
    client: FlaskClient, signed_in: SignIn, accounts: AccountStore
) -> None:
    signed_in(client, "vic")
    accounts.set_password("vic", "a brand new passphrase")
    assert client.get("/").status_code == 302


def test_a_role_change_ends_existing_sessions_and_the_new_role_applies_at_sign_in(
    client: FlaskClient, signed_in: SignIn, accounts: AccountStore
) -> None:
    signed_in(client, "vic")
    assert client.get("/admin/users").status_code == 403
    accounts.set_role("vic", Role.ADMIN)
    assert client.get("/admin/users").status_code == 302  # to sign in: that session ended
    signed_in(client, "vic")
    assert client.get("/admin/users").status_code == 200
