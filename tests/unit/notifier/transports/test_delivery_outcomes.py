"""The value types transports hand back: Delivery and DeliveryFailed."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
import requests

from notifier.message import Delivery, DeliveryFailed, RenderedDigest
from notifier.transports.teams import workflow_error_code
from notifier.transports.webhook import WebhookPoster, WebhookReply


def test_delivery_failed_carries_its_facts() -> None:
    failure = DeliveryFailed("slack webhook: gone", channel="slack", attempts=2, permanent=True)
    assert str(failure) == "slack webhook: gone"
    assert (failure.channel, failure.attempts, failure.permanent) == ("slack", 2, True)
    assert "permanent=True" in repr(failure)


def test_delivery_failed_survives_pickling() -> None:
    failure = DeliveryFailed("timed out", channel="teams", attempts=5, permanent=False)
    copy = pickle.loads(pickle.dumps(failure))
    assert isinstance(copy, DeliveryFailed)
    assert (str(copy), copy.channel, copy.attempts, copy.permanent) == (
        "timed out",
        "teams",
        5,
        False,
    )


def test_outcomes_and_digests_are_immutable() -> None:
    delivery = Delivery(channel="email", attempts=1, detail="message-id <1@x>")
    digest = RenderedDigest(subject="s", text="t", html="h", slack={}, teams={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        delivery.attempts = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        digest.subject = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            '{"error": {"code": "TriggerInputSchemaMismatch", "message": "bad"}}',
            "TriggerInputSchemaMismatch",
        ),
        ('{"error": "flat"}', None),
        ("[1, 2]", None),
        ("not json", None),
        ("", None),
    ],
)
def test_workflow_error_codes_are_read_when_present(body: str, code: str | None) -> None:
    assert workflow_error_code(WebhookReply(status=400, body=body, attempts=1)) == code


def test_an_unencodable_payload_fails_permanently_before_any_request() -> None:
    waits: list[float] = []
    with requests.Session() as session:
        # Port 9 on loopback: if a request were (wrongly) attempted it would be
        # refused and retried, and the assertions below would fail.
        poster = WebhookPoster(
            "http://127.0.0.1:9/services/abcdefghijklmnopqrstuvwxyz",
            session=session,
            label="test webhook",
            channel="test",
            sleep=waits.append,
        )
        with pytest.raises(DeliveryFailed) as caught:
            poster.post_json({"when": object()})
    assert caught.value.permanent is True
    assert caught.value.attempts == 0
    assert waits == []
    assert "abcdefghijklmnopqrstuvwxyz" not in str(caught.value)
