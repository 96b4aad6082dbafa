"""The web app wired to a real account database."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from web.accounts import DatabaseAccountStore
from web.app import create_app
from web.config import WebConfig

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(store: DatabaseAccountStore) -> FlaskClient:
    store.add("ada", "admin", PASSWORD)
    config = WebConfig(
        secret_key="integration-secret-key-long-enough",
        session_cookie_secure=False,
        csrf_enabled=False,
        testing=True,
    )
    return create_app(config, accounts=store).test_client()


def test_admin_adds_a_user_who_can_then_sign_in(client: FlaskClient) -> None:
    assert client.post("/sign-in", data={"name": "ada", "password": PASSWORD}).status_code == 303
    added = client.post(
        "/admin/users/add",
        data={
            "name": "rae",
            "role": "recorder",
            "password": "rae's own passphrase",
            "confirm_password": "rae's own passphrase",
        },
    )
    assert added.status_code == 303
    client.post("/sign-out")

    wrong = client.post("/sign-in", data={"name": "rae", "password": PASSWORD})
    assert "Enter a correct user name and password" in wrong.get_data(as_text=True)
    right = client.post("/sign-in", data={"name": "rae", "password": "rae's own passphrase"})
    assert right.status_code == 303
    assert "(recorder)" in client.get("/").get_data(as_text=True)
