"""WebConfig validation and the service navigation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from web.accounts import Role
from web.config import NavItem, WebConfig

MakeApp = Callable[..., Flask]
SignIn = Callable[[FlaskClient, str], None]
SECRET = "test-secret-key-that-is-long-enough"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"secret_key": "short"}, "at least 16 characters"),
        ({"sign_in_rate_limit": "lots"}, "not a rate"),
        ({"trusted_proxy_count": -1}, "cannot be negative"),
        ({"session_lifetime": timedelta(0)}, "must be positive"),
    ],
)
def test_bad_settings_are_refused(overrides: dict[str, object], message: str) -> None:
    settings: dict[str, object] = {"secret_key": SECRET, **overrides}
    with pytest.raises(ValueError, match=message):
        WebConfig(**settings)  # type: ignore[arg-type]


def test_defaults() -> None:
    config = WebConfig(secret_key=SECRET)
    assert config.service_name == "Improvement journey ledger"
    assert config.session_cookie_secure
    assert config.session_cookie_name == "__Host-session"
    assert not config.hsts
    assert config.sign_in_rate_limit == "5 per minute"


def fake_ledger() -> Blueprint:
    bp = Blueprint("ledger", __name__)
    bp.add_url_rule("/dashboard", "dashboard", lambda: "d")
    bp.add_url_rule("/record", "record", lambda: "r")
    return bp


def nav_links(client: FlaskClient, path: str = "/admin/users") -> str:
    html = client.get(path).get_data(as_text=True)
    start = html.index('<ul class="govuk-service-navigation__list"')
    return html[start : html.index("</ul>", start)]


def test_navigation_shows_registered_endpoints_the_user_may_use(
    make_app: MakeApp, signed_in: SignIn
) -> None:
    client = make_app(blueprints=[fake_ledger()]).test_client()
    signed_in(client, "ada")
    links = nav_links(client)
    assert 'href="/dashboard"' in links
    assert 'href="/record"' in links
    assert 'href="/admin/users"' in links
    assert "Timeline" not in links  # not registered yet
    assert 'aria-current="page"' in links  # on the Users page
    assert "Sign out" in links


def test_navigation_hides_links_above_the_users_role(make_app: MakeApp, signed_in: SignIn) -> None:
    client = make_app(blueprints=[fake_ledger()]).test_client()
    signed_in(client, "vic")
    links = nav_links(client, "/cookies")
    assert 'href="/dashboard"' in links
    assert 'href="/record"' not in links
    assert 'href="/admin/users"' not in links


def test_navigation_items_come_from_config(make_app: MakeApp, signed_in: SignIn) -> None:
    client = make_app(navigation=(NavItem("People", "admin.users", Role.ADMIN),)).test_client()
    signed_in(client, "ada")
    links = nav_links(client)
    assert "People" in links
    assert "Users" not in links


def test_signed_out_pages_have_no_navigation_links(client: FlaskClient) -> None:
    html = client.get("/accessibility").get_data(as_text=True)
    assert "govuk-service-navigation__list" not in html
    assert "Sign out" not in html
    assert "Improvement journey ledger" in html


def test_layout_has_skip_link_phase_banner_and_footer_links(client: FlaskClient) -> None:
    html = client.get("/sign-in").get_data(as_text=True)
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "govuk-phase-banner" in html
    assert re.search(r'govuk-phase-banner__content__tag">\s*Beta\s*<', html)
    for href in ('href="/accessibility"', 'href="/cookies"', 'href="/privacy"'):
        assert href in html
    assert "govuk-generic-header" in html
    assert "Crown copyright" not in html
    assert "govuk-logo" not in html


def test_cookies_page_names_the_one_cookie(make_app: MakeApp) -> None:
    html = make_app(session_cookie_secure=True).test_client().get("/cookies").get_data(as_text=True)
    assert "__Host-session" in html
    assert "8 hours after you sign in" in html
