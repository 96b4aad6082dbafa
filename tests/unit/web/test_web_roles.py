"""Roles: require_role, the signed-in user's name, and the admin-only pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from web.accounts import Role, UnknownRole
from web.auth.guard import public
from web.auth.roles import require_role
from web.auth.session import NotSignedIn, current_user_name

SignIn = Callable[[FlaskClient, str], None]
MakeApp = Callable[..., Flask]


def ledger_like_blueprint() -> Blueprint:
    """Stands in for the later ledger blueprint."""
    bp = Blueprint("ledger", __name__, url_prefix="/ledger")

    @bp.get("/dashboard")
    def dashboard() -> str:
        return f"dashboard for {current_user_name()}"

    @bp.post("/record")
    @require_role("recorder")
    def record() -> str:
        return f"recorded by {current_user_name()}"

    @bp.get("/open")
    @public
    def open_page() -> str:
        try:
            return current_user_name()
        except NotSignedIn:
            return "anonymous"

    return bp


@pytest.fixture
def client(make_app: MakeApp) -> FlaskClient:
    return make_app(blueprints=[ledger_like_blueprint()]).test_client()


@pytest.mark.parametrize(
    ("user", "status"),
    [("vic", 403), ("rae", 200), ("ada", 200)],
    ids=["viewer", "recorder", "admin"],
)
def test_recorder_only_route(
    client: FlaskClient, signed_in: SignIn, user: str, status: int
) -> None:
    signed_in(client, user)
    response = client.post("/ledger/record")
    assert response.status_code == status
    if status == 200:
        assert response.get_data(as_text=True) == f"recorded by {user}"
    else:
        assert "You do not have permission" in response.get_data(as_text=True)


def test_every_role_can_read(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    assert client.get("/ledger/dashboard").get_data(as_text=True) == "dashboard for vic"


def test_extra_blueprint_pages_need_sign_in_unless_public(client: FlaskClient) -> None:
    assert client.get("/ledger/dashboard").status_code == 302
    assert client.post("/ledger/record").status_code == 401
    assert client.get("/ledger/open").get_data(as_text=True) == "anonymous"


def test_home_goes_to_the_dashboard_once_it_exists(client: FlaskClient, signed_in: SignIn) -> None:
    signed_in(client, "vic")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/ledger/dashboard"


def test_misspelt_role_fails_when_decorating() -> None:
    with pytest.raises(UnknownRole, match="choose one of viewer, recorder, admin"):
        require_role("recorda")


def test_role_ordering() -> None:
    assert Role.ADMIN.allows(Role.RECORDER)
    assert Role.RECORDER.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.RECORDER)
    assert not Role.RECORDER.allows(Role.ADMIN)


@pytest.mark.parametrize("user", ["vic", "rae"])
def test_admin_pages_are_admin_only(make_app: MakeApp, signed_in: SignIn, user: str) -> None:
    client = make_app().test_client()
    signed_in(client, user)
    for path in ["/admin/users", "/admin/users/add", "/admin/users/vic/role"]:
        assert client.get(path).status_code == 403, path
