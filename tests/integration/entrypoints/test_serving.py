"""Starting the web app from the command line: a port already in use is one line, and a ledger
nobody can sign in to yet gets an administrator with a one-time password, printed once."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.first_run import FIRST_ADMIN, first_administrator, first_administrator_message
from entrypoints.serving import PortInUse, check_port_free, web_address
from web.accounts import DatabaseAccountStore, Role


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_port_in_use_is_named_with_the_way_out(busy_port: int) -> None:
    with pytest.raises(
        PortInUse, match=rf"port {busy_port} on 127.0.0.1 is already in use.*--port"
    ):
        check_port_free("127.0.0.1", busy_port)


def test_a_free_port_passes(busy_port: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    check_port_free("127.0.0.1", free)


@pytest.mark.parametrize("command", ["serve", "run"])
def test_serving_on_a_busy_port_is_one_line_and_starts_nothing(
    tmp_path: Path, busy_port: int, command: str
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "entrypoints",
            "--database",
            f"sqlite:///{tmp_path}/ledger.db",
            command,
            "--port",
            str(busy_port),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: port {busy_port} on 127.0.0.1 is already in use (is the ledger already "
        "running?); stop the other server or choose another port with --port"
    ]
    assert "gunicorn" not in done.stdout + done.stderr


def test_the_first_administrator_has_a_one_time_password(tmp_path: Path) -> None:
    accounts = DatabaseAccountStore(f"sqlite:///{tmp_path}/accounts.db")
    made = first_administrator(accounts)
    assert made is not None
    name, password = made
    assert name == FIRST_ADMIN
    account = accounts.authenticate(name, password)
    assert account is not None
    assert account.role is Role.ADMIN and account.must_change_password
    message = first_administrator_message(name, password)
    assert f"user name:          {name}" in message
    assert f"one-time password:  {password}" in message
    # Once anyone can sign in, nothing more is made or printed.
    assert first_administrator(accounts) is None
    assert [a.name for a in accounts.list()] == [FIRST_ADMIN]


def test_a_ledger_with_accounts_gets_no_first_administrator(tmp_path: Path) -> None:
    accounts = DatabaseAccountStore(f"sqlite:///{tmp_path}/accounts.db")
    accounts.add("ada", "viewer", "correct horse battery staple")
    assert first_administrator(accounts) is None
    assert accounts.get(FIRST_ADMIN) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),
        ("ledger.example.org", "http://ledger.example.org:8000/"),
    ],
)
def test_the_address_to_open(host: str, address: str) -> None:
    assert web_address(host, 8000) == address
