"""Fixtures for the web app's unit tests: an in-memory account store and app builders."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from web.accounts import (
    Account,
    AccountExists,
    AccountNotFound,
    Role,
    check_password_rules,
    normalise_name,
)
from web.app import create_app
from web.config import WebConfig

PASSWORD = "correct horse battery staple"


class InMemoryAccountStore:
    """A fast AccountStore for tests: same rules as the real one, no hashing cost."""

    def __init__(self) -> None:
        # name: (role, password, one-time password?, disabled?)
        self._accounts: dict[str, tuple[Role, str, bool, bool]] = {}

    def add(
        self, name: str, role: Role | str, password: str, *, temporary: bool = False
    ) -> Account:
        name = normalise_name(name)
        parsed = Role.parse(role)
        check_password_rules(password)
        if name in self._accounts:
            raise AccountExists(f"There is already a user called {name!r}")
        self._accounts[name] = (parsed, password, temporary, False)
        return self._account(name)

    def authenticate(self, name: str, password: str) -> Account | None:
        key = name.strip().lower()
        if key in self._accounts and self._accounts[key][1] == password:
            account = self._account(key)
            return None if account.disabled else account
        return None

    def get(self, name: str) -> Account | None:
        key = name.strip().lower()
        return self._account(key) if key in self._accounts else None

    def list(self) -> tuple[Account, ...]:
        return tuple(self._account(name) for name in sorted(self._accounts))

    def _known(self, name: str) -> str:
        key = normalise_name(name)
        if key not in self._accounts:
            raise AccountNotFound(f"There is no user called {key!r}")
        return key

    def set_role(self, name: str, role: Role | str) -> Account:
        key = self._known(name)
        _, password, temporary, disabled = self._accounts[key]
        self._accounts[key] = (Role.parse(role), password, temporary, disabled)
        return self._account(key)

    def set_password(self, name: str, password: str, *, temporary: bool = False) -> Account:
        key = normalise_name(name)
        check_password_rules(password)
        key = self._known(key)
        role, _, _, disabled = self._accounts[key]
        self._accounts[key] = (role, password, temporary, disabled)
        return self._account(key)

    def set_disabled(self, name: str, disabled: bool) -> Account:
        key = self._known(name)
        role, password, temporary, _ = self._accounts[key]
        self._accounts[key] = (role, password, temporary, disabled)
        return self._account(key)

    def remove(self, name: str) -> None:
        key = normalise_name(name)
        if self._accounts.pop(key, None) is None:
            raise AccountNotFound(f"There is no user called {key!r}")

    def _account(self, name: str) -> Account:
        role, password, temporary, disabled = self._accounts[name]
        stamp = hashlib.sha256(password.encode()).hexdigest()[:16]
        return Account(name, role, stamp, temporary, disabled)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared between the many apps the tests build (saves ~0.1 s each)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session")
def template_cache() -> MemoryBytecodeCache:
    """One bytecode cache for the whole test session."""
    return MemoryBytecodeCache()


@pytest.fixture
def accounts() -> InMemoryAccountStore:
    """A store holding one user of each role: ada (admin), rae (recorder), vic (viewer)."""
    store = InMemoryAccountStore()
    store.add("ada", Role.ADMIN, PASSWORD)
    store.add("rae", Role.RECORDER, PASSWORD)
    store.add("vic", Role.VIEWER, PASSWORD)
    return store


@pytest.fixture
def web_config() -> WebConfig:
    """Settings for tests: plain HTTP cookies and no CSRF checks (tests that need CSRF
    turn it back on)."""
    return WebConfig(
        secret_key="test-secret-key-that-is-long-enough",
        session_cookie_secure=False,
        csrf_enabled=False,
        testing=True,
    )


MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(
    accounts: InMemoryAccountStore, web_config: WebConfig, template_cache: MemoryBytecodeCache
) -> MakeApp:
    """Build an app; keyword arguments override WebConfig fields, ``blueprints`` adds
    blueprints."""

    def build(blueprints: Sequence[Blueprint] = (), **overrides: Any) -> Flask:
        app = create_app(replace(web_config, **overrides), accounts=accounts, blueprints=blueprints)
        app.jinja_env.bytecode_cache = template_cache
        return app

    return build


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    """The app with its default blueprints only."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


def sign_in(client: FlaskClient, name: str, password: str = PASSWORD) -> None:
    """Sign ``name`` in through the form, asserting it worked."""
    response = client.post("/sign-in", data={"name": name, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


@pytest.fixture
def signed_in() -> Callable[[FlaskClient, str], None]:
    """The :func:`sign_in` helper, as a fixture so test modules need not import conftest."""
    return sign_in


def csrf_token_from(html: str) -> str:
    """The value of the first CSRF token field in a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def csrf_token() -> Callable[[str], str]:
    """The :func:`csrf_token_from` helper as a fixture."""
    return csrf_token_from
