"""GOV.UK error pages, and no stack traces."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Blueprint, Flask, abort
from flask.testing import FlaskClient

from web.accounts import AccountStoreUnavailable
from web.auth.guard import public

MakeApp = Callable[..., Flask]
SignIn = Callable[[FlaskClient, str], None]


def failing_blueprint() -> Blueprint:
    bp = Blueprint("failing", __name__, url_prefix="/fail")

    @bp.get("/crash")
    def crash() -> str:
        raise RuntimeError("secret internal detail")

    @bp.get("/accounts-down")
    def accounts_down() -> str:
        raise AccountStoreUnavailable("database host db.internal refused")

    @bp.get("/abort/<int:code>")
    @public
    def aborts(code: int) -> str:
        abort(code)

    return bp


@pytest.fixture
def client(make_app: MakeApp) -> FlaskClient:
    # testing=False: Flask would otherwise re-raise the exception instead of showing 500.
    return make_app(blueprints=[failing_blueprint()], testing=False).test_client()


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        (400, "Sorry, there is a problem with your request"),
        (401, "You need to sign in"),
        (403, "You do not have permission to see this page"),
        (404, "Page not found"),
        (405, "Sorry, this page cannot do that"),
        (429, "Too many attempts"),
        (500, "Sorry, there is a problem with the service"),
        (503, "Sorry, the service is unavailable"),
    ],
)
def test_error_pages_use_the_service_layout(client: FlaskClient, code: int, heading: str) -> None:
    response = client.get(f"/fail/abort/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert f"<title>{heading} – Improvement journey ledger</title>" in html
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert 'class="govuk-footer"' in html
    assert "govuk/application.css" in html


def test_unhandled_exception_gives_the_500_page(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.get("/fail/crash")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html
    assert "secret internal detail" not in html
    assert "RuntimeError" not in html


def test_account_store_outage_gives_the_503_page(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.get("/fail/accounts-down")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Sorry, the service is unavailable" in html
    assert "db.internal" not in html


def test_405_keeps_the_allow_header(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.delete("/accessibility")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "Sorry, this page cannot do that" in response.get_data(as_text=True)


def test_wrong_method_while_signed_out_reveals_nothing(client: FlaskClient) -> None:
    assert client.delete("/admin/users").status_code == 401


def test_404_for_a_signed_in_user(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "If you typed the web address, check it is correct." in response.get_data(as_text=True)
