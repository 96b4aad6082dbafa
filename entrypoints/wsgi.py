"""The WSGI entry point: `gunicorn 'entrypoints.wsgi:create_wsgi_app()'` builds one app per worker
from the settings, read once here."""

from __future__ import annotations

from flask import Flask

from config.loading import load_configuration
from entrypoints.bootstrap import Access, build_web_app, services_from


def create_wsgi_app() -> Flask:
    """The wired Flask app, on its own connections. Runs no DDL: `ledger init` makes the tables
    (every worker of a server starting at once would otherwise race to)."""
    configuration = load_configuration()
    services = services_from(
        configuration.settings,
        configuration.frameworks,
        clocks=configuration.clocks,
        access=Access.RECORD,
    )
    return build_web_app(configuration.settings, services)
