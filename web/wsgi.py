"""The web app's entry point: settings in, a wired Flask app out (one per gunicorn worker)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import Blueprint, Flask

from config.frameworks import load_frameworks
from config.settings import Settings, load_settings
from ledger.bootstrap import Services, build_services
from web.accounts import AccountStore, DatabaseAccountStore
from web.api.routes import create_blueprint as create_api_blueprint
from web.app import create_app
from web.config import WebConfig
from web.journey.routes import create_blueprint as create_journey_blueprint

SECRET_KEY_FILE = Path("var/secret_key")

# Blueprint factories of the ledger's own pages, given the wired services.
BlueprintFactory = Callable[[Services], Blueprint]
LEDGER_BLUEPRINTS: Sequence[BlueprintFactory] = (create_journey_blueprint, create_api_blueprint)


def secret_key(settings: Settings, path: Path = SECRET_KEY_FILE) -> str:
    """LEDGER_SECRET_KEY, else a random key kept in var/ (created once, readable by its owner only),
    so every worker and every restart signs sessions alike."""
    configured = settings.secret("LEDGER_SECRET_KEY")
    if configured:
        return configured
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def web_config(settings: Settings) -> WebConfig:
    https = bool(settings.raw.get("web", {}).get("https", False)) or (
        os.environ.get("LEDGER_WEB_HTTPS", "").lower() in ("1", "true", "yes")
    )
    return WebConfig(
        secret_key=secret_key(settings),
        session_cookie_secure=https,
        hsts=https,
        trusted_proxy_count=int(settings.raw.get("web", {}).get("trusted_proxy_count", 0)),
    )


def build_web_app(settings: Settings, services: Services, accounts: AccountStore) -> Flask:
    """The Flask app with the ledger's pages, on already-built services."""
    return create_app(
        web_config(settings),
        accounts=accounts,
        blueprints=[factory(services) for factory in LEDGER_BLUEPRINTS],
    )


def create_wsgi_app() -> Flask:
    """For a WSGI server: `gunicorn 'web.wsgi:create_wsgi_app()'`."""
    settings = load_settings()
    services = build_services(
        settings.database_url,
        load_frameworks(),
        timezone=settings.timezone,
        cipher_key=settings.cipher_key,
    )
    return build_web_app(settings, services, DatabaseAccountStore(settings.database_url))
