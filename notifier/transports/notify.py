"""Sending reminders through GOV.UK Notify with its own Python client.

Notify sends an email from a template the service keeps; the ledger's template has the subject
``((subject))`` and the body ``((body))`` (markdown-like text), and gets the message through
`personalisation`. Errors are handled as Notify documents them for sending an email:

* 400 (``BadRequestError``, ``ValidationError``: a team-only key, trial mode, a bad address or
  template) and 403 (``AuthError``: a wrong API key, a clock more than 30 seconds out): permanent,
  a person must fix the key, the template, the clock or the address; not retried.
* 429 ``RateLimitError`` (requests per minute): tried again after a pause, within the run.
* 429 ``TooManyRequestsError`` (the day's sending limit): not tried again today (that cannot
  help), but not permanent: tomorrow's run sends it.
* 500 (``Exception``, "resend your notification") and a failed connection or timeout (the
  client's 503): tried again after a pause, then left for the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from notifications_python_client.errors import APIError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

from notifier.message import Delivery, DeliveryFailed
from notifier.reminder_rendering import RenderedReminder
from notifier.reminder_settings import NotifySettings

#: Seconds to wait after the first rate-limited or failed request; doubled after each.
BACKOFF_SECONDS = 2.0


def _errors(error: APIError) -> list[tuple[str, str]]:
    """Notify's `errors` as (error, message) pairs, from the client's `message`."""
    found = error.message
    if isinstance(found, list):
        return [
            (str(e.get("error", "")), str(e.get("message", "")))
            for e in found
            if isinstance(e, dict)
        ]
    return [("", str(found))]


def classify(error: APIError) -> tuple[str, bool, bool]:
    """(reason, permanent, retry now) for an error Notify (or the client) raised."""
    status = error.status_code
    listed = _errors(error)
    names = {name for name, _ in listed}
    reason = f"GOV.UK Notify answered {status}: " + "; ".join(
        f"{name} {message}".strip() for name, message in listed
    )
    if status == 429:
        if "TooManyRequestsError" in names:
            return reason + " (the day's limit: tomorrow's run sends it)", False, False
        return reason, False, True
    if status >= 500:
        return reason, False, True
    return reason, True, False  # 400, 403 and any other refusal: a person must fix something


class NotifyEmail:
    """Reminders by email through GOV.UK Notify. The API key is held privately and never
    appears in logs, messages or repr."""

    name = "GOV.UK Notify"

    def __init__(
        self,
        settings: NotifySettings,
        api_key: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        logger: logging.Logger | None = None,
    ) -> None:
        if not settings.template_id:
            raise ValueError("notify.template_id is not set in config/reminders.toml")
        self.settings = settings
        try:
            self._client = NotificationsAPIClient(  # type: ignore[no-untyped-call]
                api_key, base_url=settings.base_url, timeout=settings.timeout_seconds
            )
        except (AssertionError, IndexError):  # the client asserts the key's parts
            raise ValueError(f"{settings.api_key_env} is not a GOV.UK Notify API key") from None
        self._sleep = sleep
        self._logger = logger or logging.getLogger(__name__)

    def __repr__(self) -> str:
        return f"NotifyEmail(base_url={self.settings.base_url!r})"

    def send_to(self, address: str, message: RenderedReminder, reference: str) -> Delivery:
        attempts = 0
        while True:
            attempts += 1
            try:
                answer: Any = self._client.send_email_notification(  # type: ignore[no-untyped-call]
                    email_address=address,
                    template_id=self.settings.template_id,
                    personalisation=dict(message.personalisation),
                    reference=reference,
                )
            except InvalidResponse:
                # A 2xx whose body is not JSON: Notify accepted the request.
                return Delivery(self.name, attempts, "accepted (response unreadable)")
            except APIError as error:
                reason, permanent, retry = classify(error)
                if retry and attempts < self.settings.max_attempts:
                    wait = BACKOFF_SECONDS * 2 ** (attempts - 1)
                    self._logger.warning("%s; trying again in %.0f s", reason, wait)
                    self._sleep(wait)
                    continue
                self._logger.error("%s", reason)
                raise DeliveryFailed(
                    reason, channel=self.name, attempts=attempts, permanent=permanent
                ) from None
            notification = answer.get("id", "?") if isinstance(answer, dict) else "?"
            return Delivery(self.name, attempts, f"notification {notification}")
