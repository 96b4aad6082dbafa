"""Security headers and session-cookie flags."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

MakeApp = Callable[..., Flask]
PASSWORD = "correct horse battery staple"

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize(
    "path", ["/sign-in", "/no-such-page", "/healthz", "/static/images/favicon.svg"]
)
def test_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert "Strict-Transport-Security" not in response.headers


def test_pages_are_not_cached_but_static_files_may_be(client: FlaskClient) -> None:
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/images/favicon.svg").headers.get(
        "Cache-Control", ""
    )


def test_inline_scripts_carry_this_requests_nonce(client: FlaskClient) -> None:
    nonces = []
    for _ in range(2):
        response = client.get("/sign-in")
        match = re.search(
            r"script-src 'self' 'nonce-([^']+)'", response.headers["Content-Security-Policy"]
        )
        assert match
        nonce = match.group(1)
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert len(scripts) >= 2  # js-enabled class and GOV.UK Frontend's initAll
        assert all(f'nonce="{nonce}"' in tag for tag in scripts)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_hsts_only_when_configured(make_app: MakeApp) -> None:
    response = make_app(hsts=True).test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_flags_over_http(client: FlaskClient) -> None:
    client.post("/sign-in", data={"name": "ada", "password": PASSWORD})
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


def test_secure_session_cookie_uses_host_prefix(make_app: MakeApp) -> None:
    client = make_app(session_cookie_secure=True).test_client()
    response = client.post("https://localhost/sign-in", data={"name": "ada", "password": PASSWORD})
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in set_cookie
    assert "Domain=" not in set_cookie
