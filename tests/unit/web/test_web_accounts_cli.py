"""The ``user`` command group."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from click.testing import CliRunner, Result

from entrypoints.cli.users import user
from web.accounts import AccountStore, Role

PASSWORD = "correct horse battery staple"


@dataclass
class Services:
    """What the lead's CLI will put in ctx.obj."""

    accounts: AccountStore


def run(accounts: AccountStore | None, *args: str, stdin: str | None = None) -> Result:
    obj = Services(accounts) if accounts is not None else None
    return CliRunner().invoke(user, list(args), obj=obj, input=stdin)


def test_add_with_password_option(accounts: AccountStore) -> None:
    result = run(accounts, "add", "Nell", "--role", "recorder", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.output == "Added nell (recorder)\n"
    assert accounts.authenticate("nell", PASSWORD) is not None


def test_add_prompts_for_hidden_password_twice(accounts: AccountStore) -> None:
    result = run(accounts, "add", "nell", "--role", "viewer", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert accounts.authenticate("nell", PASSWORD) is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "nell", "--role", "boss", "--password", PASSWORD], "Unknown role 'boss'"),
        (["add", "vic", "--role", "viewer", "--password", PASSWORD], "already a user called 'vic'"),
        (["add", "nell", "--role", "viewer", "--password", "short"], "12 characters or more"),
        (["set-role", "ghost", "admin"], "There is no user called 'ghost'"),
        (["set-role", "vic", "boss"], "Unknown role 'boss'"),
        (["remove", "ghost", "--yes"], "There is no user called 'ghost'"),
        (["set-password", "ghost", "--password", PASSWORD], "There is no user called 'ghost'"),
    ],
)
def test_errors_exit_2_with_one_line(accounts: AccountStore, args: list[str], message: str) -> None:
    result = run(accounts, *args)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_missing_account_store_is_a_clear_error() -> None:
    result = run(None, "list")
    assert result.exit_code == 2
    assert "ctx.obj.accounts" in result.output


def test_bad_database_url_is_a_clear_error() -> None:
    class BadUrl:
        @property
        def accounts(self) -> AccountStore:
            raise ValueError("The account database URL must start with sqlite:///")

    result = CliRunner().invoke(user, ["list"], obj=BadUrl())
    assert result.exit_code == 2
    assert result.output == "Error: The account database URL must start with sqlite:///\n"


def test_list(accounts: AccountStore) -> None:
    result = run(accounts, "list")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "User name  Role      Status",
        "ada        admin     active",
        "rae        recorder  active",
        "vic        viewer    active",
    ]


def test_set_role(accounts: AccountStore) -> None:
    result = run(accounts, "set-role", "VIC", "Recorder")
    assert result.exit_code == 0, result.output
    assert result.output == "vic is now recorder\n"
    vic = accounts.get("vic")
    assert vic is not None
    assert vic.role is Role.RECORDER


def test_set_password(accounts: AccountStore) -> None:
    new = "a different passphrase"
    result = run(accounts, "set-password", "vic", stdin=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert accounts.authenticate("vic", new) is not None
    assert accounts.authenticate("vic", PASSWORD) is None


def test_remove_asks_first(accounts: AccountStore) -> None:
    declined = run(accounts, "remove", "vic", stdin="n\n")
    assert declined.exit_code != 0
    assert accounts.get("vic") is not None

    result = run(accounts, "remove", "vic", stdin="y\n")
    assert result.exit_code == 0, result.output
    assert accounts.get("vic") is None


def test_remove_with_yes(accounts: AccountStore) -> None:
    assert run(accounts, "remove", "vic", "--yes").output == "Removed vic\n"
    assert accounts.get("vic") is None
