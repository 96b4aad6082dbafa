"""Delivering the digest to a Microsoft Teams channel through a Workflows webhook."""

from __future__ import annotations

import json

from notifier.message import Delivery, RenderedDigest
from notifier.resend import resent_teams
from notifier.transports.webhook import WebhookReply, WebhookTransport, excerpt, unknown_detail

# A Workflows ("When a Teams webhook request is received") trigger answers
# 202 Accepted; 200 is tolerated for flows that add an explicit response.
_SUCCESS_STATUSES = frozenset({200, 202})


class TeamsWorkflowTransport(WebhookTransport):
    """Posts ``digest.teams`` (an Adaptive Card message) to a Teams Workflows webhook.

    Success is HTTP 202 (or 200). Other 3xx/4xx answers are permanent
    failures, since the flow or its URL needs a person's attention; 429 and
    5xx are retried by :class:`~notifier.transports.webhook.WebhookPoster`.
    The URL is a secret: its ``sig`` grants access.
    """

    what = "Teams workflow webhook"
    default_name = "teams"

    def send(self, digest: RenderedDigest) -> Delivery:
        """Post the digest's Teams payload.

        Returns:
            A Delivery whose detail is the HTTP status, e.g. ``"HTTP 202"``.

        Raises:
            DeliveryFailed: On any other answer, or when retries run out.
        """
        reply = self._poster.post_json(
            digest.teams, resend=lambda why: resent_teams(digest.teams, why)
        )
        if reply.status in _SUCCESS_STATUSES:
            return Delivery(
                channel=self.name,
                attempts=reply.attempts,
                detail=f"HTTP {reply.status}" + unknown_detail(reply),
            )
        reason = "Teams did not accept the message"
        code = workflow_error_code(reply)
        if code:
            reason += f" [{code}]"
        raise self._poster.failure_for(reply, permanent=300 <= reply.status <= 499, reason=reason)


def workflow_error_code(reply: WebhookReply) -> str | None:
    """Pull ``error.code`` out of a Power Automate error body, if it has one."""
    try:
        document = json.loads(reply.body)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    error = document.get("error")
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        # The code came from the network; keep it to one short line.
        return excerpt(str(error["code"]))[:80]
    return None
