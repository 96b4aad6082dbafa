"""One typed settings object, loaded once at start from `settings.toml` and the environment.

Secrets come only from the environment (or a secrets file named by LEDGER_SECRETS_FILE, outside the
repository, one NAME=value a line), never from a file in the repository.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).with_name("settings.toml")


@dataclass(frozen=True)
class Settings:
    """Everything an entry point needs to build the ledger, the web app and the scheduler."""

    database_url: str
    timezone: str
    web_host: str
    web_port: int
    web_workers: int
    #: Served over HTTPS (behind a TLS proxy): a Secure session cookie and HSTS.
    web_https: bool
    #: How many reverse proxies in front set X-Forwarded-For.
    trusted_proxy_count: int
    #: A web session ends after this many minutes without a request.
    web_session_idle_minutes: int
    cipher_key: str | None
    secrets: Mapping[str, str]
    raw: Mapping[str, Any]

    def secret(self, name: str) -> str | None:
        """A secret by name: the environment first, then the secrets file."""
        return self.secrets.get(name)


def read_secrets_file(path: Path) -> dict[str, str]:
    """NAME=value lines; blank lines and lines starting with # are skipped."""
    secrets: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#") and "=" in text:
            name, _, value = text.partition("=")
            secrets[name.strip()] = value.strip()
    return secrets


def load_settings(path: Path = SETTINGS_FILE, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from `path`, overridden by LEDGER_* environment variables."""
    env = os.environ if environ is None else environ
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    secrets: dict[str, str] = {}
    secrets_file = env.get("LEDGER_SECRETS_FILE")
    if secrets_file:
        secrets.update(read_secrets_file(Path(secrets_file)))
    secrets.update({k: v for k, v in env.items() if k.startswith("LEDGER_")})
    ledger = raw.get("ledger", {})
    web = raw.get("web", {})
    return Settings(
        database_url=env.get("LEDGER_DATABASE_URL")
        or ledger.get("database_url", "sqlite:///var/ledger.db"),
        timezone=env.get("LEDGER_TIMEZONE") or ledger.get("timezone", "Europe/London"),
        web_host=env.get("LEDGER_WEB_HOST") or web.get("host", "127.0.0.1"),
        web_port=int(env.get("LEDGER_WEB_PORT") or web.get("port", 8000)),
        web_workers=int(env.get("LEDGER_WEB_WORKERS") or web.get("workers", 2)),
        web_https=bool(web.get("https", False))
        or env.get("LEDGER_WEB_HTTPS", "").lower() in ("1", "true", "yes"),
        trusted_proxy_count=int(web.get("trusted_proxy_count", 0)),
        web_session_idle_minutes=int(
            env.get("LEDGER_WEB_SESSION_IDLE_MINUTES") or web.get("session_idle_minutes", 30)
        ),
        cipher_key=secrets.get("LEDGER_CIPHER_KEY") or None,
        secrets=secrets,
        raw=raw,
    )
