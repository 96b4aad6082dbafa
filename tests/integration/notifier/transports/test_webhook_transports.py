"""Slack and Teams webhook transports against a real HTTP server on loopback.

The server is the ``webhook_server`` fixture (a ThreadingHTTPServer on
127.0.0.1 with a scripted queue of replies); sleeps are recorded by the
``recording_sleep`` fixture instead of being taken.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import pytest
import requests

from notifier.message import Delivery, DeliveryFailed, RenderedDigest
from notifier.transports import Transport
from notifier.transports.slack import SlackWebhookTransport
from notifier.transports.teams import TeamsWorkflowTransport
from notifier.transports.webhook import RetryPolicy

# Shaped like real webhook URLs; SECRET plays the credential in both.
SECRET = "ZmFrZS1zZWNyZXQtZG8tbm90LWxvZw"
SLACK_PATH = f"/services/T0FAKE000/B0FAKE000/{SECRET}"
TEAMS_PATH = (
    "/workflows/0123456789abcdef/triggers/manual/paths/invoke"
    f"?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={SECRET}"
)

# Short timeouts keep failure tests fast.
FAST = RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=1.0)

Sleep = Callable[[float], None]


# The shapes of the conftest fixtures this module uses (conftest itself is not
# importable by name, so the types are restated here for the type checker).
class ReceivedRequest(Protocol):
    path: str
    headers: Mapping[str, str]

    def json(self) -> Any: ...


class WebhookServer(Protocol):
    base_url: str

    def url(self, path: str) -> str: ...

    def respond(
        self,
        status: int,
        body: str = "",
        *,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> WebhookServer: ...

    @property
    def received(self) -> list[ReceivedRequest]: ...


class Certificate(Protocol):
    cert: Path


class RecordingSleep(Protocol):
    waits: list[float]

    def __call__(self, seconds: float) -> None: ...


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """A fresh requests session per test."""
    with requests.Session() as http:
        yield http


def slack(
    url: str,
    session: requests.Session,
    sleep: Sleep,
    policy: RetryPolicy = FAST,
    clock: Callable[[], float] = time.time,
) -> SlackWebhookTransport:
    return SlackWebhookTransport(url, session=session, policy=policy, sleep=sleep, clock=clock)


def teams(
    url: str, session: requests.Session, sleep: Sleep, name: str = "teams"
) -> TeamsWorkflowTransport:
    return TeamsWorkflowTransport(url, session=session, policy=FAST, sleep=sleep, name=name)


# -- Slack ------------------------------------------------------------------


def test_slack_200_ok_is_delivered_in_one_attempt(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "ok")
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    delivery = transport.send(digest)

    assert delivery == Delivery(channel="slack", attempts=1, detail="HTTP 200")
    [request] = webhook_server.received
    assert request.path == SLACK_PATH
    assert request.headers["content-type"].startswith("application/json")
    assert request.json() == digest.slack
    assert recording_sleep.waits == []


def test_read_only_payloads_are_posted_as_plain_json(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    frozen = dataclasses.replace(
        digest, slack=MappingProxyType({"text": "hi", "blocks": (MappingProxyType({"a": 1}),)})
    )
    webhook_server.respond(200, "ok")

    slack(webhook_server.url(SLACK_PATH), session, recording_sleep).send(frozen)

    assert webhook_server.received[0].json() == {"text": "hi", "blocks": [{"a": 1}]}


def test_slack_429_then_500_then_ok_is_delivered_exactly_once(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(429, "rate_limited", headers={"Retry-After": "1"}).respond(
        500, "rollup_error"
    ).respond(200, "ok")
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    delivery = transport.send(digest)

    assert delivery.attempts == 3
    assert len(webhook_server.received) == 3
    assert all(r.json() == digest.slack for r in webhook_server.received)
    # Retry-After honoured for the 429, then exponential backoff after the 500.
    assert recording_sleep.waits == [1.0, 2.0]


def test_retry_after_as_http_date_is_measured_against_the_clock_and_capped(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    now = 1_700_000_000.0
    in_ten_seconds = format_datetime(datetime.fromtimestamp(now + 10, UTC), usegmt=True)
    in_two_minutes = format_datetime(datetime.fromtimestamp(now + 120, UTC), usegmt=True)
    webhook_server.respond(429, headers={"Retry-After": in_ten_seconds}).respond(
        429, headers={"Retry-After": in_two_minutes}
    ).respond(200, "ok")
    policy = RetryPolicy(max_attempts=3, retry_after_max=60.0, read_timeout=1.0)
    transport = slack(
        webhook_server.url(SLACK_PATH), session, recording_sleep, policy, clock=lambda: now
    )

    assert transport.send(digest).attempts == 3
    assert recording_sleep.waits == [10.0, 60.0]


def test_slack_repeated_500s_give_up_after_the_attempt_limit(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(500, "rollup_error", times=5)
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    failure = caught.value
    assert failure.permanent is False
    assert failure.attempts == 3
    assert failure.channel == "slack"
    assert "HTTP 500" in str(failure)
    assert "rollup_error" in str(failure)
    assert len(webhook_server.received) == 3
    assert recording_sleep.waits == [1.0, 2.0]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, "invalid_payload"),
        (400, "no_text"),
        (403, "action_prohibited"),
        (404, "channel_not_found"),
        (410, "channel_is_archived"),
    ],
)
def test_slack_documented_errors_are_permanent_and_not_retried(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
    status: int,
    body: str,
) -> None:
    webhook_server.respond(status, body).respond(200, "ok")
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert caught.value.attempts == 1
    assert body in str(caught.value)
    assert f"HTTP {status}" in str(caught.value)
    assert len(webhook_server.received) == 1
    assert recording_sleep.waits == []


def test_slack_200_with_an_error_body_is_not_a_delivery(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "no_text")
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert "no_text" in str(caught.value)
    assert len(webhook_server.received) == 1


def test_a_redirect_is_reported_not_followed(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(302, headers={"Location": webhook_server.url("/elsewhere")})
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert "HTTP 302" in str(caught.value)
    assert [r.path for r in webhook_server.received] == [SLACK_PATH]


def test_connection_refused_is_retried_then_fails_temporarily(
    refused_port: int,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    transport = slack(f"http://127.0.0.1:{refused_port}{SLACK_PATH}", session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is False
    assert caught.value.attempts == 3
    assert "refused" in str(caught.value).lower()
    assert recording_sleep.waits == [1.0, 2.0]


def test_read_timeout_is_retried(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "ok", delay=1.0).respond(200, "ok")
    policy = RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=0.2)
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep, policy)

    delivery = transport.send(digest)

    assert delivery.attempts == 2
    assert len(webhook_server.received) == 2
    assert recording_sleep.waits == [1.0]


def test_read_timeouts_exhaust_the_attempts(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "ok", delay=0.6, times=2)
    policy = RetryPolicy(max_attempts=2, connect_timeout=1.0, read_timeout=0.1)
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep, policy)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is False
    assert caught.value.attempts == 2
    assert "timed out" in str(caught.value)
    assert len(webhook_server.received) == 2


def test_https_delivery_verifies_the_certificate(
    https_webhook_server: WebhookServer,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
    certificate: Certificate,
) -> None:
    https_webhook_server.respond(200, "ok")
    with requests.Session() as trusting:
        trusting.verify = str(certificate.cert)
        delivery = slack(https_webhook_server.url(SLACK_PATH), trusting, recording_sleep).send(
            digest
        )
    assert delivery.attempts == 1
    assert https_webhook_server.received[0].json() == digest.slack


def test_an_untrusted_https_certificate_fails_at_once_without_retrying(
    https_webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    # The default session trusts the system CAs, not the self-signed certificate.
    transport = slack(https_webhook_server.url(SLACK_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is False
    assert caught.value.attempts == 1
    assert "TLS" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert recording_sleep.waits == []
    assert https_webhook_server.received == []


# -- Teams ------------------------------------------------------------------


@pytest.mark.parametrize("status", [202, 200])
def test_teams_accepted_is_delivered(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
    status: int,
) -> None:
    webhook_server.respond(status)
    transport = teams(webhook_server.url(TEAMS_PATH), session, recording_sleep)

    delivery = transport.send(digest)

    assert delivery == Delivery(channel="teams", attempts=1, detail=f"HTTP {status}")
    [request] = webhook_server.received
    assert request.json() == digest.teams
    assert request.json()["attachments"][0]["contentType"] == (
        "application/vnd.microsoft.card.adaptive"
    )


def test_teams_rate_limit_is_retried(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(429, headers={"Retry-After": "7"}).respond(202)
    transport = teams(webhook_server.url(TEAMS_PATH), session, recording_sleep)

    assert transport.send(digest).attempts == 2
    assert len(webhook_server.received) == 2
    assert recording_sleep.waits == [7.0]


def test_teams_client_error_is_permanent_and_names_the_flow_error(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    body = '{"error":{"code":"TriggerInputSchemaMismatch","message":"The input body is invalid."}}'
    webhook_server.respond(400, body)
    transport = teams(webhook_server.url(TEAMS_PATH), session, recording_sleep)

    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)

    assert caught.value.permanent is True
    assert caught.value.attempts == 1
    assert "TriggerInputSchemaMismatch" in str(caught.value)


def test_transports_satisfy_the_protocol(
    webhook_server: WebhookServer, session: requests.Session, recording_sleep: RecordingSleep
) -> None:
    transports: list[Transport] = [
        slack(webhook_server.url(SLACK_PATH), session, recording_sleep),
        teams(webhook_server.url(TEAMS_PATH), session, recording_sleep, name="teams-leaders"),
    ]
    assert all(isinstance(t, Transport) for t in transports)
    assert [t.name for t in transports] == ["slack", "teams-leaders"]


# -- The URL is a secret ----------------------------------------------------


def test_the_webhook_url_never_reaches_logs_messages_or_reprs(
    webhook_server: WebhookServer,
    refused_port: int,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    slack_url = webhook_server.url(SLACK_PATH)
    teams_url = webhook_server.url(TEAMS_PATH)
    slack_transport = slack(slack_url, session, recording_sleep)
    teams_transport = teams(teams_url, session, recording_sleep)
    dead_transport = slack(f"http://127.0.0.1:{refused_port}{SLACK_PATH}", session, recording_sleep)
    failures: list[DeliveryFailed] = []

    def expect_failure(transport: Transport) -> None:
        with pytest.raises(DeliveryFailed) as caught:
            transport.send(digest)
        failures.append(caught.value)

    webhook_server.respond(200, "ok")
    slack_transport.send(digest)
    # A server echoing the URL back must not smuggle it out either.
    webhook_server.respond(500, f"upstream said {slack_url}")
    webhook_server.respond(500, f"upstream said {SLACK_PATH}").respond(500)
    expect_failure(slack_transport)
    webhook_server.respond(404, f"channel_not_found for {SECRET}")
    expect_failure(slack_transport)
    expect_failure(dead_transport)
    webhook_server.respond(202)
    teams_transport.send(digest)
    webhook_server.respond(400, f'{{"error":{{"code":"Bad","message":"{teams_url}"}}}}')
    expect_failure(teams_transport)

    assert len(failures) == 4
    exposed = [caplog.text, *(record.getMessage() for record in caplog.records)]
    exposed += [repr(slack_transport), repr(teams_transport), repr(dead_transport)]
    for failure in failures:
        exposed += [str(failure), repr(failure), *map(str, failure.args)]
        # Nothing chained could print the URL in a traceback either.
        assert failure.__cause__ is None
        assert failure.__context__ is None
    for text in exposed:
        assert SECRET not in text
        assert SLACK_PATH not in text

    # Prove the guard had something to guard: urllib3 logged the requests, and
    # the transports logged under the redacted name.
    assert any(r.name.startswith("urllib3") for r in caplog.records)
    assert f"slack webhook ({webhook_server.base_url}/…/{SECRET[-4:]})" in caplog.text
    assert f"/…/{SECRET[-4:]}" in repr(slack_transport)


def test_plain_http_to_a_non_loopback_host_is_refused_without_echoing_the_url(
    session: requests.Session,
) -> None:
    with pytest.raises(ValueError, match="https") as caught:
        SlackWebhookTransport(f"http://hooks.slack.com{SLACK_PATH}", session=session)
    assert SECRET not in str(caught.value)


# -- a slow provider: the first POST arrived, its answer came after the read timeout ----------


def test_a_message_sent_again_after_a_read_timeout_says_it_is_a_resend_and_why(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "ok", delay=1.0).respond(200, "ok")
    policy = RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=0.2)
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep, policy)

    delivery = transport.send(digest)

    first, second = (request.json() for request in webhook_server.received)
    assert "resend" not in json.dumps(first).lower()
    notice = second["blocks"][1]["elements"][0]["elements"][0]["text"]
    assert notice.startswith("This is a resend: the earlier delivery (attempt 1 timed out")
    assert second["text"].startswith("This is a resend")
    assert second["blocks"][2:] == first["blocks"][1:]  # the digest itself, unchanged
    # And the delivery's record says the first attempt's outcome is unknown.
    assert "attempt 1 timed out waiting for a response" in delivery.detail
    assert "outcome is unknown" in delivery.detail


def test_a_teams_card_sent_again_after_a_read_timeout_says_so_too(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(202, "", delay=1.0).respond(202, "")
    transport = TeamsWorkflowTransport(
        webhook_server.url("/workflows/digest"),
        session=session,
        policy=RetryPolicy(max_attempts=3, connect_timeout=1.0, read_timeout=0.2),
        sleep=recording_sleep,
    )
    delivery = transport.send(digest)
    second = webhook_server.received[1].json()
    body = second["attachments"][0]["content"]["body"]
    assert body[1]["inlines"][0]["text"].startswith("This is a resend")
    assert "outcome is unknown" in delivery.detail


def test_when_every_attempt_timed_out_the_failure_says_the_outcome_is_unknown(
    webhook_server: WebhookServer,
    session: requests.Session,
    recording_sleep: RecordingSleep,
    digest: RenderedDigest,
) -> None:
    webhook_server.respond(200, "ok", delay=0.6, times=2)
    policy = RetryPolicy(max_attempts=2, connect_timeout=1.0, read_timeout=0.1)
    transport = slack(webhook_server.url(SLACK_PATH), session, recording_sleep, policy)
    with pytest.raises(DeliveryFailed) as caught:
        transport.send(digest)
    assert "the outcome is unknown" in str(caught.value)
