"""Posting JSON to a chat webhook politely: timeouts, bounded retries, Retry-After.

Shared by the Slack and Teams transports. What counts as *success* differs by
service and is decided by the caller from the :class:`WebhookReply`; what is
*worth retrying* (429, 5xx, a dropped or slow connection) is the same for both
and is handled here.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests

from notifier.message import DeliveryFailed
from notifier.transports.redaction import guard_urllib3_logging, redact_url, scrub

# Enough of a response body to explain a failure without flooding a log line.
_BODY_EXCERPT_LENGTH = 200
_DELAY_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LOOPBACK_NAMES = frozenset({"localhost"})

Sleep = Callable[[float], None]
Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for, and how hard to try, one webhook delivery.

    Attributes:
        max_attempts: Total POSTs allowed, the first one included.
        backoff_initial: Seconds to wait after the first failed attempt; the
            wait doubles after each further failure.
        backoff_max: Ceiling on any single backoff wait.
        retry_after_max: Ceiling on a wait requested by a ``Retry-After``
            header, so a hostile or confused server cannot stall the run.
        connect_timeout: Seconds allowed to open the connection.
        read_timeout: Seconds allowed between bytes of the response.
    """

    max_attempts: int = 5
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 60.0
    connect_timeout: float = 5.0
    read_timeout: float = 15.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for field_name in (
            "backoff_initial",
            "backoff_max",
            "retry_after_max",
            "connect_timeout",
            "read_timeout",
        ):
            if getattr(self, field_name) < 0:
                raise ValueError(f"{field_name} must not be negative")
        if self.connect_timeout == 0 or self.read_timeout == 0:
            # requests treats 0 as "fail immediately", never as "no timeout".
            raise ValueError("timeouts must be positive")

    def backoff(self, failed_attempts: int) -> float:
        """Seconds to wait after ``failed_attempts`` consecutive failures (1-based)."""
        if failed_attempts < 1:
            raise ValueError("failed_attempts must be at least 1")
        # Clamp the exponent so a large attempt count cannot overflow the float.
        exponent = min(failed_attempts - 1, 64)
        return float(min(self.backoff_max, self.backoff_initial * 2.0**exponent))


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Interpret an HTTP ``Retry-After`` header as seconds to wait from ``now``.

    Accepts delay-seconds (``"120"``; fractional values are tolerated) and an
    HTTP-date (``"Wed, 21 Oct 2015 07:28:00 GMT"``), which is measured against
    ``now`` (seconds since the epoch). A date in the past means "no wait".

    Returns:
        The wait in seconds, or ``None`` if the header is absent or unreadable
        (the caller should then fall back to its own backoff).
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if _DELAY_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # HTTP-dates are always GMT; "-0000" parses to a naive datetime.
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def require_https(url: str, *, what: str) -> None:
    """Refuse a webhook URL that would send its secret in clear text.

    Plain ``http`` is allowed only to a loopback address, which is what local
    stand-in servers in tests use.

    Raises:
        ValueError: With a message that shows only the redacted URL.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or host is None or parts.scheme not in {"https", "http"}:
        raise ValueError(f"{what} URL is not an http(s) URL: {redact_url(url)}")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValueError(
            f"{what} URL must use https (plain http is allowed only to loopback): {redact_url(url)}"
        )


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebhookReply:
    """The final, non-retryable answer from a webhook.

    Attributes:
        status: HTTP status code.
        body: The response body as text, already scrubbed of the webhook URL.
        attempts: How many POSTs it took to get this answer.
    """

    status: int
    body: str
    attempts: int
    #: The attempts before this one whose POST may have arrived (the answer never came), as
    #: "attempt 1 timed out waiting for a response": the message was sent again after them.
    unknown: tuple[str, ...] = ()

    def excerpt(self) -> str:
        """The body collapsed to one short line, for messages and logs."""
        return excerpt(self.body)


def excerpt(text: str) -> str:
    """Collapse ``text`` to a single line of at most 200 characters."""
    one_line = " ".join(text.split())
    if len(one_line) > _BODY_EXCERPT_LENGTH:
        return one_line[: _BODY_EXCERPT_LENGTH - 1] + "…"
    return one_line


class WebhookPoster:
    """Posts JSON to one webhook URL, retrying what is worth retrying.

    Retries, with exponential backoff, on HTTP 5xx, on connection failures and
    on timeouts; on HTTP 429 (and on a 5xx that carries ``Retry-After``) it
    waits as long as the server asks, up to ``policy.retry_after_max``. Every
    POST counts as an attempt. Anything else (2xx, 3xx, other 4xx) is returned
    to the caller as a :class:`WebhookReply` to judge. Redirects are not
    followed: a webhook that redirects is misconfigured, and following would
    turn the POST into a GET. A read timeout is retried even though the
    earlier POST may have landed: for a weekly digest a rare duplicate is
    better than a silent gap.

    The URL is held privately and never appears in logs, exceptions or repr.
    """

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session,
        label: str,
        channel: str,
        policy: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        logger: logging.Logger | None = None,
    ) -> None:
        """Prepare to post to ``url``.

        Args:
            url: The webhook URL (a secret).
            session: The HTTP session to post with; its connection pool is reused.
            label: How this webhook is named in logs and messages, e.g. ``"slack webhook"``.
            channel: The transport name recorded on failures.
            policy: Timeouts and retry limits; the defaults suit a weekly job.
            sleep: Called with seconds to wait between attempts.
            clock: Seconds since the epoch, used to read HTTP-date ``Retry-After``.
            logger: Where progress is logged; defaults to this module's logger.
        """
        self._url = url
        self._session = session
        self._channel = channel
        self._policy = policy if policy is not None else RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._logger = logger if logger is not None else logging.getLogger(__name__)
        self.target = f"{label} ({redact_url(url)})"
        guard_urllib3_logging()

    def __repr__(self) -> str:
        return f"WebhookPoster({self.target!r}, policy={self._policy!r})"

    def post_json(
        self,
        payload: Mapping[str, Any],
        resend: Callable[[str], Mapping[str, Any]] | None = None,
    ) -> WebhookReply:
        """POST ``payload`` as JSON until a final answer or the attempts run out.

        After an attempt whose POST may have arrived (it timed out waiting for the answer), the
        next attempts send ``resend(why)`` instead, a payload saying it is a resend and why,
        and the reply names those attempts (``unknown``).

        Returns:
            The first reply that is not worth retrying.

        Raises:
            DeliveryFailed: ``permanent=False`` when every attempt hit a
                retryable condition; ``permanent=True`` when the payload cannot
                be encoded or the request cannot be made at all.
        """
        try:
            body = _encoded(payload)
        except (TypeError, ValueError) as exc:
            raise self._failure(
                f"payload is not valid JSON ({exc})", attempts=0, permanent=True
            ) from None
        unknown: list[str] = []

        policy = self._policy
        last_problem = "no attempt made"
        unsendable: str | None = None
        unsendable_is_permanent = True
        for attempt in range(1, policy.max_attempts + 1):
            wait: float | None = None
            try:
                response = self._session.post(
                    self._url,
                    data=body,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                    timeout=(policy.connect_timeout, policy.read_timeout),
                    allow_redirects=False,
                    # Passed explicitly because requests otherwise lets
                    # REQUESTS_CA_BUNDLE override a CA bundle set on the
                    # injected session; a plain True still honours the variable.
                    verify=self._session.verify,
                )
            except requests.exceptions.SSLError as exc:
                # A certificate problem will not clear up in seconds, but may
                # by next week (a renewed certificate, a fixed proxy).
                unsendable = self._describe_exception(exc)
                unsendable_is_permanent = False
                break
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                last_problem = self._describe_exception(exc)
                if isinstance(
                    exc, requests.exceptions.ReadTimeout | requests.exceptions.ChunkedEncodingError
                ):
                    # Sent, but no answer: it may have arrived. What goes next says so.
                    unknown.append(f"attempt {attempt} {last_problem}")
                    if resend is not None:
                        why = f"the earlier delivery ({unknown[-1]}) may have arrived"
                        body = _encoded(resend(why))
            except requests.RequestException as exc:
                # Malformed URL and the like: retrying cannot help.
                unsendable = self._describe_exception(exc)
                break
            else:
                with response:
                    status = response.status_code
                    text = scrub(response.text, self._url)
                    retry_after = response.headers.get("Retry-After")
                if status != 429 and not 500 <= status <= 599:
                    return WebhookReply(
                        status=status, body=text, attempts=attempt, unknown=tuple(unknown)
                    )
                last_problem = f"HTTP {status}" + (f": {excerpt(text)}" if text.strip() else "")
                wait = self._requested_wait(retry_after)

            if attempt == policy.max_attempts:
                break
            if wait is None:
                wait = policy.backoff(attempt)
            self._logger.warning(
                "%s: attempt %d of %d failed (%s); retrying in %.1f s",
                self.target,
                attempt,
                policy.max_attempts,
                last_problem,
                wait,
            )
            self._sleep(wait)

        if unsendable is not None:
            # Raised outside the except block so the requests exception, whose
            # text carries the URL, is not chained as __context__.
            raise self._failure(
                f"request could not be sent: {unsendable}",
                attempts=attempt,
                permanent=unsendable_is_permanent,
            )
        outcome = (
            f"; the outcome is unknown: {', '.join(unknown)} after sending, so it may have arrived"
            if unknown
            else ""
        )
        raise self._failure(
            f"gave up after {policy.max_attempts} attempts; last problem: {last_problem}{outcome}",
            attempts=policy.max_attempts,
            permanent=False,
        )

    def failure_for(self, reply: WebhookReply, *, permanent: bool, reason: str) -> DeliveryFailed:
        """Build the exception for a final reply the caller judged unsuccessful."""
        detail = f"HTTP {reply.status}"
        if reply.body.strip():
            detail += f": {reply.excerpt()}"
        return self._failure(f"{reason} ({detail})", attempts=reply.attempts, permanent=permanent)

    def _failure(self, what: str, *, attempts: int, permanent: bool) -> DeliveryFailed:
        message = scrub(f"{self.target}: {what}", self._url)
        self._logger.error("%s", message)
        return DeliveryFailed(
            message, channel=self._channel, attempts=attempts, permanent=permanent
        )

    def _requested_wait(self, header: str | None) -> float | None:
        requested = parse_retry_after(header, now=self._clock())
        if requested is None:
            return None
        if requested > self._policy.retry_after_max:
            self._logger.warning(
                "%s: server asked to wait %.0f s; waiting only %.0f s",
                self.target,
                requested,
                self._policy.retry_after_max,
            )
            return self._policy.retry_after_max
        return requested

    def _describe_exception(self, exc: BaseException) -> str:
        """A short, URL-free account of a requests exception."""
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            kind = "timed out connecting"
        elif isinstance(exc, requests.exceptions.ReadTimeout):
            kind = "timed out waiting for a response"
        elif isinstance(exc, requests.exceptions.SSLError):
            kind = "TLS handshake failed"
        elif isinstance(exc, requests.ConnectionError):
            kind = "connection failed"
        else:
            kind = type(exc).__name__
        # The requests/urllib3 message quotes the URL path, so we report only
        # the underlying operating-system error, which names no URL.
        cause = _root_os_error(exc)
        if cause is not None and cause.strerror:
            return scrub(f"{kind}: {cause.strerror}", self._url)
        return kind


class WebhookTransport:
    """What the Slack and Teams transports share: one poster to one secret https URL.

    A subclass names its service (`what`, `default_name`) and decides in `send` what counts
    as success.
    """

    what: ClassVar[str]  # e.g. "Slack webhook", for the https check's message
    default_name: ClassVar[str]

    def __init__(
        self,
        url: str,
        *,
        session: requests.Session,
        name: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
        logger: logging.Logger | None = None,
    ) -> None:
        """Configure delivery to one webhook.

        Args:
            url: The webhook's URL (a secret; must be https except to loopback).
            session: HTTP session to post with.
            name: Channel name recorded on deliveries and failures (default: the service's).
            policy: Timeouts and retry limits.
            sleep: Called with the seconds to wait between attempts.
            clock: Seconds since the epoch, for HTTP-date ``Retry-After``.
            logger: Where progress is logged (default: the subclass's module logger).

        Raises:
            ValueError: If the URL is not https (or loopback http).
        """
        require_https(url, what=self.what)
        self.name = self.default_name if name is None else name
        self._poster = WebhookPoster(
            url,
            session=session,
            label=f"{self.name} webhook",
            channel=self.name,
            policy=policy,
            sleep=sleep,
            clock=clock,
            logger=logger if logger is not None else logging.getLogger(type(self).__module__),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._poster.target!r})"


def _encoded(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, default=_plain_json).encode(
        "utf-8"
    )


def unknown_detail(reply: WebhookReply) -> str:
    """What a delivery's record says about earlier attempts whose outcome is unknown."""
    if not reply.unknown:
        return ""
    return (
        f"; sent again, marked as a resend, after {', '.join(reply.unknown)}: that outcome is "
        "unknown, so it may have arrived twice"
    )


def _plain_json(value: object) -> object:
    """Let read-only mappings (e.g. ``MappingProxyType``) serialise like dicts."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _root_os_error(exc: BaseException) -> OSError | None:
    """Find the operating-system error (e.g. ConnectionRefusedError) behind ``exc``."""
    seen: set[int] = set()
    pending: deque[object] = deque([exc])
    while pending:
        current = pending.popleft()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        # requests' own exceptions are OSErrors too, but only the operating
        # system's carry a strerror.
        if isinstance(current, OSError) and current.strerror:
            return current
        # urllib3 nests the real cause in .reason and in exception args.
        pending.extend(current.args)
        pending.extend((getattr(current, "reason", None), current.__cause__, current.__context__))
    return None
