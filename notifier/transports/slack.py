"""Delivering the digest to a Slack channel through an incoming webhook."""

from __future__ import annotations

from notifier.message import Delivery, RenderedDigest
from notifier.resend import resent_slack
from notifier.transports.webhook import WebhookTransport, unknown_detail

# Error strings Slack's incoming webhooks put in the response body. Each means
# the webhook, the channel or the payload must be fixed by a person, so
# resending the same digest later would fail again.
SLACK_PERMANENT_ERRORS = frozenset(
    {
        "invalid_payload",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_token",
        "invalid_team",
        "no_text",
        "missing_text_or_fallback_or_attachments",
        "too_many_attachments",
        "user_not_found",
        "action_prohibited",
        "posting_to_general_channel_denied",
        "channel_not_found",
        "channel_is_archived",
        "no_active_hooks",
        "no_service",
        "no_service_id",
        "no_team",
        "team_disabled",
    }
)


class SlackWebhookTransport(WebhookTransport):
    """Posts ``digest.slack`` to a Slack incoming webhook.

    Success is HTTP 200 with the body ``ok``. Slack's documented error bodies
    (``invalid_payload``, ``no_text``, ``channel_not_found`` …) and any other
    4xx are permanent failures; 429 and 5xx are retried by
    :class:`~notifier.transports.webhook.WebhookPoster`.
    """

    what = "Slack webhook"
    default_name = "slack"

    def send(self, digest: RenderedDigest) -> Delivery:
        """Post the digest's Slack payload.

        Returns:
            A Delivery whose detail is ``"HTTP 200"``.

        Raises:
            DeliveryFailed: On any answer other than ``200 ok``, or when retries run out.
        """
        reply = self._poster.post_json(
            digest.slack, resend=lambda why: resent_slack(digest.slack, why)
        )
        body = reply.body.strip()
        if reply.status == 200 and body == "ok":
            return Delivery(
                channel=self.name,
                attempts=reply.attempts,
                detail="HTTP 200" + unknown_detail(reply),
            )
        permanent = body in SLACK_PERMANENT_ERRORS or 300 <= reply.status <= 499
        raise self._poster.failure_for(
            reply, permanent=permanent, reason="Slack did not accept the message"
        )
