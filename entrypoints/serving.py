"""Running the web app under gunicorn, from the `ledger serve` command."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from config.loading import Configuration
from entrypoints.bootstrap import Access, build_web_app, secret_key, services_from


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn with its options from us; each worker builds its own app and connections from
    the settings the command read (passed down, not read again)."""

    def __init__(
        self, options: dict[str, Any], configuration: Configuration, database_url: str
    ) -> None:
        self.options = options
        self.configuration = configuration
        self.database_url = database_url
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        settings = self.configuration.settings
        # The command made or upgraded the tables before the workers started: none runs DDL.
        services = services_from(
            settings, self.configuration.frameworks, self.database_url, Access.RECORD
        )
        return build_web_app(settings, services)


def serve_forever(
    configuration: Configuration, database_url: str, host: str, port: int, workers: int
) -> None:
    """Serve on host:port until stopped."""
    secret_key(configuration.settings)  # create the shared key once, before workers start
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "errorlog": "-",
            "timeout": 30,
            "graceful_timeout": 10,
        },
        configuration,
        database_url,
    ).run()
