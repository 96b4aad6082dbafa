"""Delivering the digest by email over SMTP.

(Absolute imports keep this module from shadowing the standard library's
``email`` package, which it uses.)
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from enum import StrEnum

from notifier.message import Delivery, DeliveryFailed, RenderedDigest


class SmtpSecurity(StrEnum):
    """How the connection to the SMTP server is protected.

    ``STARTTLS``: connect in clear (usually port 587) and upgrade before
    anything else is said; refuses to continue if the server cannot upgrade.
    ``SSL``: TLS from the first byte ("implicit TLS", usually port 465).
    ``NONE``: no encryption at all. Only for a local test server or a relay on
    the same host; credentials are refused in this mode.
    """

    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


def envelope_address(address: str) -> str:
    """The bare ``local@domain`` of an address that may carry a display name.

    Raises:
        ValueError: If no plausible address can be found, or it contains line breaks.
    """
    if "\r" in address or "\n" in address:
        raise ValueError("an email address must not contain line breaks")
    _, bare = parseaddr(address)
    local, at, domain = bare.rpartition("@")
    if not at or not local or not domain or " " in bare:
        raise ValueError(f"not an email address: {address!r}")
    return bare


def compose_message(
    digest: RenderedDigest,
    *,
    from_address: str,
    to_addresses: Sequence[str],
    date: datetime,
    message_id: str,
) -> EmailMessage:
    """Build the multipart/alternative email for ``digest``.

    The plain-text part comes first and the HTML part second, so that mail
    clients, which prefer the last alternative they can show, display HTML.

    Raises:
        ValueError: If a header value is unusable (e.g. a subject with a line break).
    """
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = _header_address(from_address)
    message["To"] = ", ".join(_header_address(a) for a in to_addresses)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def _header_address(address: str) -> str:
    # Re-quote the display name so one containing a comma cannot split into
    # two addresses once the list is joined.
    return formataddr(parseaddr(address))


def classify_smtp_error(error: OSError) -> tuple[str, bool]:
    """Explain an smtplib/socket error and say whether it is permanent.

    SMTP reply codes decide where the server gave one: 5xx is permanent,
    4xx (e.g. greylisting, 454 temporary auth failure) is not. Failing to
    reach or trust the server is never permanent: that is an outage or a
    certificate about to be renewed, not a wrong setting we can prove.

    Returns:
        ``(reason, permanent)``, where ``reason`` is a human sentence fragment.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = sorted(error.recipients.items())
        listed = ", ".join(f"{rcpt} ({_reply(code, text)})" for rcpt, (code, text) in refusals)
        permanent = all(code >= 500 for _, (code, _text) in refusals)
        return f"the server refused every recipient: {listed}", permanent
    if isinstance(error, smtplib.SMTPAuthenticationError):
        reply = _reply(error.smtp_code, error.smtp_error)
        return (
            f"the server rejected the username or password ({reply})",
            not 400 <= error.smtp_code <= 499,
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        reply = _reply(error.smtp_code, error.smtp_error)
        return f"the server refused the sender {error.sender} ({reply})", error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _reply(error.smtp_code, error.smtp_error)
        return f"the server answered {reply}", error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPNotSupportedError):
        # e.g. no STARTTLS, or no AUTH on offer: a configuration mismatch.
        return f"the server lacks a required feature: {error}", True
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"the server closed the connection unexpectedly ({error})", False
    if isinstance(error, smtplib.SMTPException):
        return f"SMTP error: {error}", False
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"the server's TLS certificate was not trusted ({error.verify_message})", False
    if isinstance(error, ssl.SSLError):
        # Hand-made SSLErrors lack .reason; the ssl module's own always have it.
        return f"TLS failed ({getattr(error, 'reason', None) or error})", False
    if isinstance(error, TimeoutError):
        return "timed out talking to the server", False
    return f"could not reach the server ({error.strerror or error})", False


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {' '.join(text.split())}"


class SmtpTransport:
    """Sends the digest as a multipart/alternative email through an SMTP server.

    One connection per send, no retries: a relay that accepted the message
    does its own queueing, and a failure is reported with ``permanent`` set
    per :func:`classify_smtp_error`. The password is never logged nor shown
    in ``repr``.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int,
        from_address: str,
        to_addresses: Sequence[str],
        security: SmtpSecurity | str = SmtpSecurity.STARTTLS,
        username: str | None = None,
        password: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
        local_hostname: str | None = None,
        name: str = "email",
        now: Callable[[], datetime] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        """Configure delivery through one SMTP server.

        Args:
            host: SMTP server name or address.
            port: SMTP port (587 for STARTTLS and 465 for SSL are usual).
            from_address: The From header, optionally with a display name.
            to_addresses: One or more recipients.
            security: ``starttls``, ``ssl``, or ``none`` (local testing only).
            username: Login name; omit for an unauthenticated relay.
            password: Login password; required with ``username``.
            ssl_context: TLS settings, e.g. one trusting a private CA; defaults
                to :func:`ssl.create_default_context`.
            timeout: Seconds for the connection and for each exchange with the server.
            local_hostname: Name to give in EHLO; defaults to this host's FQDN.
            name: Channel name recorded on deliveries and failures.
            now: Current time, for the Date header; defaults to UTC now.
            logger: Where progress is logged.

        Raises:
            ValueError: On an unusable address, an empty recipient list, a
                username without password, or credentials with ``security="none"``.
        """
        self.name = name
        self._security = SmtpSecurity(security)
        self._host = host
        self._port = port
        self._from_address = from_address
        self._envelope_from = envelope_address(from_address)
        if isinstance(to_addresses, str):
            # A lone string would otherwise be iterated character by character.
            to_addresses = [to_addresses]
        if not to_addresses:
            raise ValueError("at least one recipient is required")
        self._to_addresses = tuple(to_addresses)
        self._envelope_to = tuple(envelope_address(a) for a in self._to_addresses)
        if (username is None) != (password is None):
            raise ValueError("username and password must be given together")
        if username is not None and self._security is SmtpSecurity.NONE:
            raise ValueError("refusing to send SMTP credentials without TLS (security='none')")
        self._username = username
        self._password = password
        self._ssl_context = ssl_context if ssl_context is not None else ssl.create_default_context()
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._timeout = timeout
        self._local_hostname = local_hostname
        self._now = now if now is not None else _utc_now
        self._logger = logger if logger is not None else logging.getLogger(__name__)
        self._message_id_domain = self._envelope_from.rpartition("@")[2]
        self.target = f"{name} via {host}:{port} ({self._security.value})"

    def __repr__(self) -> str:
        login = f", username={self._username!r}" if self._username is not None else ""
        return (
            f"SmtpTransport(host={self._host!r}, port={self._port}, "
            f"security={self._security.value!r}{login}, to={list(self._envelope_to)!r})"
        )

    def send(self, digest: RenderedDigest) -> Delivery:
        """Email the digest to every configured recipient.

        Returns:
            A Delivery whose detail names the Message-ID, plus any recipients
            the server refused while accepting others.

        Raises:
            DeliveryFailed: If the message could not be built, the server could
                not be reached or trusted, the login failed, or every recipient
                was refused.
        """
        message_id = make_msgid(domain=self._message_id_domain)
        try:
            message = compose_message(
                digest,
                from_address=self._from_address,
                to_addresses=self._to_addresses,
                date=self._now(),
                message_id=message_id,
            )
        except ValueError as exc:
            raise self._failure(
                f"the digest could not be made into an email ({exc})", attempts=0, permanent=True
            ) from exc

        try:
            refused = self._transmit(message)
        except OSError as exc:
            # smtplib's exceptions are OSErrors, as are socket and TLS failures.
            reason, permanent = classify_smtp_error(exc)
            raise self._failure(reason, attempts=1, permanent=permanent) from exc

        detail = f"message-id {message_id}"
        if refused:
            listed = ", ".join(f"{r} ({_reply(c, t)})" for r, (c, t) in sorted(refused.items()))
            self._logger.warning("%s: some recipients were refused: %s", self.target, listed)
            detail += f"; refused: {listed}"
        self._logger.info("%s: accepted %s", self.target, message_id)
        return Delivery(channel=self.name, attempts=1, detail=detail)

    def _transmit(self, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
        self._logger.debug("%s: connecting", self.target)
        with self._connect() as smtp:
            if self._security is SmtpSecurity.STARTTLS:
                smtp.ehlo()
                # smtplib raises SMTPNotSupportedError when STARTTLS is not
                # offered, so we can never silently continue in clear text.
                smtp.starttls(context=self._ssl_context)
                smtp.ehlo()
            if self._username is not None and self._password is not None:
                smtp.login(self._username, self._password)
            return smtp.send_message(
                message, from_addr=self._envelope_from, to_addrs=list(self._envelope_to)
            )

    def _connect(self) -> smtplib.SMTP:
        if self._security is SmtpSecurity.SSL:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                local_hostname=self._local_hostname,
                timeout=self._timeout,
                context=self._ssl_context,
            )
        return smtplib.SMTP(
            self._host, self._port, local_hostname=self._local_hostname, timeout=self._timeout
        )

    def _failure(self, reason: str, *, attempts: int, permanent: bool) -> DeliveryFailed:
        message = f"{self.target}: {reason}"
        self._logger.error("%s", message)
        return DeliveryFailed(message, channel=self.name, attempts=attempts, permanent=permanent)


def _utc_now() -> datetime:
    return datetime.now(UTC)
