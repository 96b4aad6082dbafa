"""What a transport is handed (a rendered digest) and what it hands back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RenderedDigest:
    """A weekly digest already rendered for every channel we can deliver to.

    Rendering happens upstream; transports only deliver these bodies verbatim.

    Attributes:
        subject: One-line summary, used as the email Subject.
        text: Plain-text body (the first alternative of the email).
        html: HTML email body (the second, preferred alternative).
        slack: A Slack incoming-webhook JSON payload: ``{"text": ..., "blocks": [...]}``.
        teams: A Teams Workflows webhook payload carrying an Adaptive Card:
            ``{"type": "message", "attachments": [{"contentType":
            "application/vnd.microsoft.card.adaptive", "content": {...}}]}``.
    """

    subject: str
    text: str
    html: str
    slack: Mapping[str, Any]
    teams: Mapping[str, Any]


@dataclass(frozen=True)
class Delivery:
    """What a transport reports after a digest was accepted by the far end.

    Attributes:
        channel: The transport's name, e.g. ``"slack"``.
        attempts: How many sends it took, retries included (at least 1).
        detail: A short, secret-free note such as ``"HTTP 202"`` or the Message-ID.
    """

    channel: str
    attempts: int
    detail: str


class DeliveryFailed(Exception):
    """A digest could not be delivered on this channel.

    Attributes:
        message: A human-readable explanation, free of secrets (no webhook URLs,
            no passwords).
        channel: The transport's name.
        attempts: How many sends were made before giving up (0 if none could be).
        permanent: True when trying again next week will fail the same way
            without a human fixing something (a bad payload, a deleted channel,
            rejected credentials); False for outages, timeouts and rate limits.
    """

    def __init__(self, message: str, *, channel: str, attempts: int, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.channel = channel
        self.attempts = attempts
        self.permanent = permanent

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"DeliveryFailed({self.message!r}, channel={self.channel!r}, "
            f"attempts={self.attempts}, permanent={self.permanent})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # The keyword-only constructor defeats Exception's default pickling,
        # and failures may cross a process boundary (e.g. a scheduler's worker).
        return (
            _rebuild_delivery_failed,
            (self.message, self.channel, self.attempts, self.permanent),
        )


def _rebuild_delivery_failed(
    message: str, channel: str, attempts: int, permanent: bool
) -> DeliveryFailed:
    return DeliveryFailed(message, channel=channel, attempts=attempts, permanent=permanent)
