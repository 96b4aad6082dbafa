"""GOV.UK Notify against a local stand-in that checks each request as Notify would (a JWT signed
with the key's secret, issued by the service, a JSON body with template_id, email_address and
personalisation) and answers as Notify documents, errors included."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest

from notifier.message import DeliveryFailed
from notifier.reminder_rendering import RenderedReminder
from notifier.reminder_settings import NotifySettings
from notifier.transports.notify import NotifyEmail

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"ledger_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())
MESSAGE = RenderedReminder(
    subject="Testshire improvement plan: 2 actions need your attention",
    text="Dear Ann,\n\nYour actions...",
    html="<p>Dear Ann</p>",
    personalisation={"name": "Ann Example", "subject": "Testshire ...", "body": "Your actions"},
)

# Error bodies as Notify documents them for POST /v2/notifications/email.
ERRORS = {
    "team_key": (400, "BadRequestError", "Can't send to this recipient using a team-only API key"),
    "bad_address": (400, "ValidationError", "email_address Not a valid email address"),
    "clock": (403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"),
    "wrong_key": (403, "AuthError", "Invalid token: API key not found"),
    "rate": (
        429,
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    "daily": (429, "TooManyRequestsError", "Exceeded send limits (250000) for today"),
    "server": (500, "Exception", "Internal server error"),
}


@dataclass
class NotifyStandIn:
    """What the stand-in saw, and the answers it is to give (next first; then success)."""

    script: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    base_url: str = ""


def _handler(state: NotifyStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen: dict[str, Any] = {"path": self.path, "headers": dict(self.headers)}
            try:
                seen["json"] = json.loads(body)
            except ValueError:
                state.problems.append("body is not JSON")
            state.requests.append(seen)
            self._check(seen)
            if state.script:
                status, name, message = ERRORS[state.script.pop(0)]
                self._answer(
                    status, {"status_code": status, "errors": [{"error": name, "message": message}]}
                )
                return
            notification = str(uuid.uuid4())
            self._answer(
                201,
                {
                    "id": notification,
                    "reference": seen.get("json", {}).get("reference"),
                    "content": {
                        "subject": "SUBJECT",
                        "body": "BODY",
                        "from_email": "ledger@notify",
                    },
                    "uri": f"{state.base_url}/v2/notifications/{notification}",
                    "template": {
                        "id": TEMPLATE_ID,
                        "version": 1,
                        "uri": f"{state.base_url}/v2/template/{TEMPLATE_ID}",
                    },
                },
            )

        def _check(self, seen: dict[str, Any]) -> None:
            if self.path != "/v2/notifications/email":
                state.problems.append(f"posted to {self.path}")
            if self.headers.get("Content-Type") != "application/json":
                state.problems.append("Content-Type is not application/json")
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                state.problems.append("no bearer token")
                return
            token = auth.removeprefix("Bearer ")
            try:
                header = jwt.get_unverified_header(token)
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            except jwt.PyJWTError as error:
                state.problems.append(f"token does not verify: {error}")
                return
            if header.get("alg") != "HS256" or header.get("typ") != "JWT":
                state.problems.append(f"token header {header}")
            if claims.get("iss") != SERVICE_ID:
                state.problems.append("token not issued by the service")
            if abs(time.time() - int(claims.get("iat", 0))) > 30:
                state.problems.append("token's iat is more than 30 seconds out")
            payload = seen.get("json", {})
            for key in ("template_id", "email_address", "personalisation"):
                if key not in payload:
                    state.problems.append(f"no {key}")
            if not isinstance(payload.get("personalisation"), dict):
                state.problems.append("personalisation is not an object")

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, _format: str, *_args: Any) -> None:
            return

    return Handler


@pytest.fixture
def notify() -> Iterator[NotifyStandIn]:
    state = NotifyStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def transport(notify: NotifyStandIn, waits: list[float]) -> NotifyEmail:
    settings = NotifySettings(template_id=TEMPLATE_ID, base_url=notify.base_url, max_attempts=3)
    return NotifyEmail(settings, API_KEY, sleep=waits.append)


def test_a_reminder_is_a_well_formed_notify_request(notify: NotifyStandIn) -> None:
    waits: list[float] = []
    delivery = transport(notify, waits).send_to("ann@example.org", MESSAGE, "ann/2026-11-23")

    assert notify.problems == []
    (request,) = notify.requests
    assert request["json"] == {
        "email_address": "ann@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": dict(MESSAGE.personalisation),
        "reference": "ann/2026-11-23",
    }
    assert delivery.detail.startswith("notification ") and delivery.attempts == 1
    assert waits == []


@pytest.mark.parametrize("error", ["team_key", "bad_address", "clock", "wrong_key"])
def test_400_and_403_are_permanent_and_not_retried(notify: NotifyStandIn, error: str) -> None:
    notify.script = [error]
    waits: list[float] = []
    with pytest.raises(DeliveryFailed) as failed:
        transport(notify, waits).send_to("ann@example.org", MESSAGE, "ref")
    status, name, message = ERRORS[error]
    assert failed.value.permanent is True
    assert failed.value.attempts == 1 and len(notify.requests) == 1 and waits == []
    assert f"answered {status}: {name} {message}" in failed.value.message
    assert SECRET not in failed.value.message and SECRET not in repr(transport(notify, []))


@pytest.mark.parametrize("error", ["rate", "server"])
def test_a_rate_limit_or_server_error_is_tried_again_after_a_pause(
    notify: NotifyStandIn, error: str
) -> None:
    notify.script = [error, error]
    waits: list[float] = []
    delivery = transport(notify, waits).send_to("ann@example.org", MESSAGE, "ref")
    assert delivery.attempts == 3 and len(notify.requests) == 3
    assert waits == [2.0, 4.0]
    assert notify.problems == []


@pytest.mark.parametrize("error", ["rate", "server"])
def test_a_rate_limit_or_server_error_that_persists_is_left_for_the_next_run(
    notify: NotifyStandIn, error: str
) -> None:
    notify.script = [error] * 3
    with pytest.raises(DeliveryFailed) as failed:
        transport(notify, []).send_to("ann@example.org", MESSAGE, "ref")
    assert failed.value.permanent is False and failed.value.attempts == 3


def test_the_days_sending_limit_is_not_retried_today_but_is_not_permanent(
    notify: NotifyStandIn,
) -> None:
    notify.script = ["daily"]
    waits: list[float] = []
    with pytest.raises(DeliveryFailed) as failed:
        transport(notify, waits).send_to("ann@example.org", MESSAGE, "ref")
    assert failed.value.permanent is False
    assert len(notify.requests) == 1 and waits == []
    assert "tomorrow" in failed.value.message


def test_a_key_that_is_not_a_notify_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ValueError, match="LEDGER_NOTIFY_API_KEY") as refused:
        NotifyEmail(NotifySettings(template_id=TEMPLATE_ID), "short")
    assert "short" not in str(refused.value)


def test_the_sender_records_each_notify_outcome_and_retries_only_what_can_succeed(
    notify: NotifyStandIn, services: Any
) -> None:
    from entrypoints.bootstrap import build_reminder_sender
    from notifier.reminder_sender import ReminderOutcome
    from tests.integration.notifier.reminder_journey import (
        TODAY,
        settings,
        three_people_seven_actions,
    )

    three_people_seven_actions(services.ledger)
    sender = build_reminder_sender(services, settings(), transport(notify, []), actor="test")
    notify.script = ["wrong_key", "server", "server", "server"]  # Ann: 403; Bob: 500 three times

    first = {r.person: r for r in sender.run(TODAY)}

    assert first["ann"].outcome is ReminderOutcome.FAILED and "(permanent)" in first["ann"].detail
    assert first["bob"].outcome is ReminderOutcome.FAILED and "retried" in first["bob"].detail
    assert first["cat"].outcome is ReminderOutcome.SENT
    again = {r.person: r.outcome for r in sender.run(TODAY)}
    assert again == {"ann": ReminderOutcome.NOT_RETRIED, "bob": ReminderOutcome.SENT}
    assert notify.problems == []
    # Tomorrow Ann's items are still untold, so she is tried again with a fresh message.
    assert "ann" in {r.person for r in sender.run(TODAY.replace(day=TODAY.day + 1))}
