"""Digest settings from TOML, and channels built from them with secrets looked up by name."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from config.digest import DigestConfigError, load_digest_settings
from notifier.channels import build_channels
from notifier.settings import EmailChannel, ScheduleSettings, UnknownChannel, WebhookChannel
from notifier.transports.email import SmtpTransport
from notifier.transports.slack import SlackWebhookTransport
from notifier.transports.teams import TeamsWorkflowTransport

SLACK_URL = "https://hooks.slack.com/services/T000/B000/c2VjcmV0LXNlY3JldC1zZWNyZXQ"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "digest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_file_loads_with_monday_nine_oclock_and_three_channels() -> None:
    settings = load_digest_settings(environ={})
    assert settings.schedule == ScheduleSettings()
    assert (settings.schedule.day_of_week, settings.schedule.hour) == ("mon", "9")
    assert [(c.name, c.kind) for c in settings.channels] == [
        ("slack", "slack"),
        ("teams", "teams"),
        ("email", "email"),
    ]
    slack = settings.channel("slack")
    assert isinstance(slack, WebhookChannel)
    assert slack.webhook_url_env == "LEDGER_SLACK_WEBHOOK_URL"
    with pytest.raises(UnknownChannel, match="slack, teams, email"):
        settings.channel("pager")


def test_another_file_can_be_named_in_the_environment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[schedule]\nday_of_week = "fri"\nhour = 16\n[web]\nbase_url = "https://x.example"\n'
        '[[channels]]\nname = "board"\nkind = "teams"\nwebhook_url_env = "LEDGER_BOARD_URL"\n'
        'authorities = ["lancashire"]\n',
    )
    settings = load_digest_settings(environ={"LEDGER_DIGEST_CONFIG": str(path)})
    assert (settings.schedule.day_of_week, settings.schedule.hour) == ("fri", "16")
    assert settings.web_base_url == "https://x.example"
    (board,) = settings.channels
    assert board.authorities == frozenset({"lancashire"})


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        ('name = "s"\nkind = "slack"\nwebhook_url_env = "https://hooks.slack.com/x"', "LEDGER_"),
        ('name = "s"\nkind = "slack"\nwebhook_url_env = "SLACK_URL"', "LEDGER_"),
        ('name = "s"\nkind = "pager"', "kind must be slack, teams or email"),
        ('name = "Bad Name"\nkind = "slack"', "name must be"),
        (
            'name = "m"\nkind = "email"\nhost = "h"\nport = 25\nfrom = "a@b.c"\nto = ["d@e.f"]\n'
            'security = "tls"',
            "security must be one of",
        ),
        (
            'name = "m"\nkind = "email"\nhost = "h"\nport = 25\nfrom = "a@b.c"\nto = ["d@e.f"]\n'
            'username = "u"',
            "together",
        ),
        ('name = "m"\nkind = "email"\nhost = "h"\nport = 25\nto = ["d@e.f"]', "missing 'from'"),
    ],
)
def test_bad_channels_are_refused_naming_the_problem(
    tmp_path: Path, channel: str, message: str
) -> None:
    path = write(tmp_path, f"[[channels]]\n{channel}\n")
    with pytest.raises(DigestConfigError, match=message):
        load_digest_settings(path)


def test_two_channels_may_not_share_a_name(tmp_path: Path) -> None:
    one = '[[channels]]\nname = "s"\nkind = "slack"\nwebhook_url_env = "LEDGER_A"\n'
    with pytest.raises(DigestConfigError, match="same name"):
        load_digest_settings(write(tmp_path, one + one))


def test_channels_are_built_with_their_secrets_and_skipped_without() -> None:
    settings = load_digest_settings(environ={})
    secrets = {"LEDGER_SLACK_WEBHOOK_URL": SLACK_URL, "LEDGER_SMTP_PASSWORD": "hunter2"}
    with requests.Session() as session:
        built = build_channels(settings, secrets.get, session=session)
    assert isinstance(built.channels["slack"].transport, SlackWebhookTransport)
    assert isinstance(built.channels["email"].transport, SmtpTransport)
    assert built.unavailable == {"teams": "LEDGER_TEAMS_WEBHOOK_URL is not set"}
    # Secrets never show in what may be logged.
    shown = repr(built) + repr(built.channels["slack"].transport) + repr(built.channels["email"])
    assert "c2VjcmV0LXNlY3JldC1zZWNyZXQ" not in shown
    assert "hunter2" not in shown


def test_only_the_named_channels_are_built() -> None:
    settings = load_digest_settings(environ={})
    lookup = {"LEDGER_TEAMS_WEBHOOK_URL": "https://example.org/workflows/abc?sig=x"}.get
    with requests.Session() as session:
        built = build_channels(settings, lookup, session=session, only=["teams"])
    assert list(built.channels) == ["teams"]
    assert isinstance(built.channels["teams"].transport, TeamsWorkflowTransport)
    assert built.unavailable == {}


def test_an_http_webhook_to_another_host_is_refused_as_unavailable() -> None:
    settings = load_digest_settings(environ={})
    lookup = {"LEDGER_SLACK_WEBHOOK_URL": "http://hooks.example.org/services/x"}.get
    with requests.Session() as session:
        built = build_channels(settings, lookup, session=session, only=["slack"])
    assert "must use https" in built.unavailable["slack"]


def test_an_email_channel_keeps_its_recipients() -> None:
    settings = load_digest_settings(environ={})
    email = settings.channel("email")
    assert isinstance(email, EmailChannel)
    assert email.security == "starttls"
    assert email.password_env == "LEDGER_SMTP_PASSWORD"
    assert email.to_addresses == ("childrens-improvement-board@example.org",)
