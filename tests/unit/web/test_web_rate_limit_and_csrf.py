"""The sign-in rate limit and CSRF protection."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

MakeApp = Callable[..., Flask]
PASSWORD = "correct horse battery staple"


def test_too_many_failed_sign_ins_get_429(make_app: MakeApp) -> None:
    client = make_app(sign_in_rate_limit="3 per minute").test_client()
    for _ in range(3):
        response = client.post("/sign-in", data={"name": "ada", "password": "wrong guess!"})
        assert response.status_code == 200

    blocked = client.post("/sign-in", data={"name": "ada", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 302  # the right password did not get in


def test_successful_sign_ins_do_not_use_up_the_limit(make_app: MakeApp) -> None:
    client = make_app(sign_in_rate_limit="2 per minute").test_client()
    for _ in range(4):
        response = client.post("/sign-in", data={"name": "ada", "password": PASSWORD})
        assert response.status_code == 303


def test_viewing_the_sign_in_page_is_not_limited(make_app: MakeApp) -> None:
    client = make_app(sign_in_rate_limit="1 per minute").test_client()
    client.post("/sign-in", data={"name": "ada", "password": "wrong guess!"})
    assert client.get("/sign-in").status_code == 200


def test_post_without_csrf_token_is_rejected(make_app: MakeApp) -> None:
    client = make_app(csrf_enabled=True).test_client()
    response = client.post("/sign-in", data={"name": "ada", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form could not be sent" in html
    assert client.get("/").status_code == 302


def test_post_with_csrf_token_is_accepted(
    make_app: MakeApp, csrf_token: Callable[[str], str]
) -> None:
    client = make_app(csrf_enabled=True).test_client()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"name": "ada", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303


def test_sign_out_needs_the_csrf_token(make_app: MakeApp, csrf_token: Callable[[str], str]) -> None:
    client = make_app(csrf_enabled=True).test_client()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"name": "ada", "password": PASSWORD, "csrf_token": token})

    assert client.post("/sign-out").status_code == 400
    assert client.get("/").status_code == 200  # still signed in

    page_token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": page_token}).status_code == 303
    assert client.get("/").status_code == 302
