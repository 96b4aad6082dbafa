"""Running the web app under gunicorn, from the `ledger serve` command."""

from __future__ import annotations

import errno
import socket
from typing import Any

from gunicorn.app.base import BaseApplication

from config.loading import Configuration
from entrypoints.bootstrap import Access, build_web_app, secret_key, services_from
from ledger.domain.errors import LedgerError


class PortInUse(LedgerError):
    """The address the web app should listen on is taken (another server, or an earlier run)."""


def check_port_free(host: str, port: int) -> None:
    """Raise `PortInUse` if nothing could listen on host:port now.

    gunicorn would try five times and log two lines each; one line naming the way out is kinder.
    The socket is bound the way gunicorn binds it (address reuse on), so a port left in
    TIME_WAIT by a server just stopped is not taken for a busy one.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is already in use (is the ledger already running?); "
                    "stop the other server or choose another port with --port"
                ) from None
            raise PortInUse(f"cannot listen on {host}:{port}: {error.strerror}") from None


def web_address(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on host:port."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


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
            settings,
            self.configuration.frameworks,
            self.database_url,
            self.configuration.clocks,
            access=Access.RECORD,
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
