"""Keeping webhook URLs out of logs, exception messages and reprs.

A Slack or Teams webhook URL is a bearer credential: anyone holding it can post
into the channel. Only a redacted form, enough for an operator to tell two
webhooks apart, may leave the transport.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

# Below this many characters the path-and-query is too short for its tail to
# be a safe hint; we then show no tail at all.
_MIN_SECRET_LENGTH_FOR_HINT = 16
_HINT_LENGTH = 4

# The loggers through which urllib3 (under requests) writes request targets.
URLLIB3_LOGGERS = (
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.poolmanager",
    "urllib3.util.retry",
)

_ABSOLUTE_URL = re.compile(r"""([A-Za-z][A-Za-z0-9+.-]*://[^/\s"'<>]+)/[^\s"'<>)]*""")
_BARE_PATH = re.compile(r"""(^|[\s"'=(])/[^\s"'<>)]+""")


def redact_url(url: str) -> str:
    """Return a loggable stand-in for a secret-bearing URL.

    Keeps the scheme and host (not secret, useful when diagnosing) and at most
    the last four characters of the path and query, e.g.
    ``https://hooks.slack.com/…/Xy12``. Any userinfo is dropped.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        # An unparseable URL is still a secret; reveal nothing about it.
        return "<unparseable url>"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    secret = parts.path + (f"?{parts.query}" if parts.query else "")
    origin = f"{parts.scheme}://{netloc}" if parts.scheme else netloc
    if len(secret) >= _MIN_SECRET_LENGTH_FOR_HINT:
        return f"{origin}/…/{secret[-_HINT_LENGTH:]}"
    return f"{origin}/…"


def scrub(text: str, url: str) -> str:
    """Remove every recognisable form of ``url`` (whole, or its path) from ``text``.

    Used on text that came from elsewhere (a response body, a library's error
    message) before it is logged or put in an exception.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    candidates = {url}
    if parts is not None:
        path_and_query = parts.path + (f"?{parts.query}" if parts.query else "")
        candidates.update({path_and_query, parts.path, parts.query, parts.fragment})
        # A lone path segment or query value can carry the whole secret (Slack's
        # token segment, Teams' ``sig``), and error text may quote just that.
        pieces = parts.path.split("/") + re.split(r"[&=]", parts.query)
        candidates.update(p for p in pieces if len(p) >= _MIN_SECRET_LENGTH_FOR_HINT)
    # Longest first so that a whole URL is replaced before its path would be.
    replacement = redact_url(url)
    for candidate in sorted(candidates, key=len, reverse=True):
        # Very short fragments ("/", "a") are not secrets, and replacing them
        # would mangle ordinary text.
        if len(candidate) >= 8:
            text = text.replace(candidate, replacement)
    return text


def redact_request_targets(message: str) -> str:
    """Replace URL paths and request targets in a log message with ``/…``.

    Works without knowing which URL is secret, so it can guard library log
    lines such as urllib3's ``"POST /services/T0/B0/secret HTTP/1.1" 200 2``.
    """
    message = _ABSOLUTE_URL.sub(r"\1/…", message)
    return _BARE_PATH.sub(r"\1/…", message)


class RequestTargetRedactingFilter(logging.Filter):
    """A logging filter that rewrites records to hide URL paths.

    It never drops a record; it only rewrites the message in place.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` so its message carries no URL path; always keep it."""
        message = record.getMessage()
        redacted = redact_request_targets(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def guard_urllib3_logging() -> None:
    """Install :class:`RequestTargetRedactingFilter` on urllib3's loggers, once.

    urllib3 logs each request's path at DEBUG level, and for a webhook the path
    *is* the secret. Logger filters are process-wide, so this is deliberately
    idempotent; it only ever hides paths, never whole records, so other users
    of urllib3 in the process lose nothing but the paths.
    """
    for name in URLLIB3_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RequestTargetRedactingFilter) for f in logger.filters):
            logger.addFilter(RequestTargetRedactingFilter())
