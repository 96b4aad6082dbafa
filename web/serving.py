"""Running the web app under gunicorn, from the `ledger serve` command."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

from config.settings import load_settings
from web.wsgi import create_wsgi_app, secret_key


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn with its options from us; each worker builds its own app and connections."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_wsgi_app()


def serve_forever(database_url: str, host: str, port: int, workers: int) -> None:
    """Serve on host:port until stopped; workers get the database URL from the environment."""
    os.environ["LEDGER_DATABASE_URL"] = database_url
    secret_key(load_settings())  # create the shared key once, before workers start
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "errorlog": "-",
            "timeout": 30,
            "graceful_timeout": 10,
        }
    ).run()
