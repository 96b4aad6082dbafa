"""Real local stand-ins for the services the digest transports talk to.

Everything binds to 127.0.0.1 only: a scriptable HTTP server playing Slack or
Teams, an aiosmtpd SMTP server (STARTTLS or implicit TLS, with AUTH), and a
throwaway self-signed certificate for it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifier.message import RenderedDigest

LOOPBACK = "127.0.0.1"


# --------------------------------------------------------------------------
# A digest to deliver
# --------------------------------------------------------------------------


@pytest.fixture
def digest() -> RenderedDigest:
    """A small rendered digest with distinct bodies per channel."""
    return RenderedDigest(
        subject="Weekly improvement digest: Exampleshire, w/c 3 March",
        text="Exampleshire children's services\n\nMonitoring visit 4 published.\n",
        html="<h1>Exampleshire children’s services</h1><p>Monitoring visit 4 published.</p>",
        slack={
            "text": "Weekly improvement digest: Exampleshire",
            "blocks": [
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": "*Monitoring visit 4* published."},
                }
            ],
        },
        teams={
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [{"type": "TextBlock", "text": "Monitoring visit 4 published."}],
                    },
                }
            ],
        },
    )


# --------------------------------------------------------------------------
# Sleep and clock doubles (real functions that record instead of waiting)
# --------------------------------------------------------------------------


@dataclass
class RecordingSleep:
    """A sleep that records the requested waits and returns at once."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def recording_sleep() -> RecordingSleep:
    """A fresh :class:`RecordingSleep`."""
    return RecordingSleep()


# --------------------------------------------------------------------------
# A port where nothing listens
# --------------------------------------------------------------------------


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections.

    The socket is bound (so no one else can take the port) but never
    listening, so a connect attempt is refused at once without a race.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        yield int(sock.getsockname()[1])


# --------------------------------------------------------------------------
# The scriptable webhook server
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP response; ``delay`` is slept before answering."""

    status: int
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the stand-in server saw it."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


class _StandInHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__((LOOPBACK, 0), _ScriptedHandler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.replies: queue.Queue[Reply] = queue.Queue()
        self.received: list[ReceivedRequest] = []
        self.lock = threading.Lock()


class _ScriptedHandler(BaseHTTPRequestHandler):
    server: _StandInHTTPServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with self.server.lock:
            self.server.received.append(
                ReceivedRequest(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
            )
        try:
            reply = self.server.replies.get_nowait()
        except queue.Empty:
            reply = Reply(599, "no scripted reply left")
        if reply.delay:
            time.sleep(reply.delay)
        payload = reply.body.encode("utf-8")
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a deliberate read timeout); nothing to answer.
            pass

    def log_message(self, _format: str, *_args: Any) -> None:
        # Keep test output quiet; the recorded requests are what tests inspect.
        return


class WebhookStandIn:
    """A real HTTP server on loopback that plays a chat webhook."""

    def __init__(self, server: _StandInHTTPServer, scheme: str = "http") -> None:
        self._server = server
        host, port = server.server_address[:2]
        self.base_url = f"{scheme}://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The full URL for ``path`` on this server."""
        return self.base_url + path

    def respond(
        self,
        status: int,
        body: str = "",
        *,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> WebhookStandIn:
        """Queue a reply (``times`` copies) for the next request(s); chainable.

        ``delay`` seconds are slept before answering, to provoke read timeouts.
        Requests beyond the script get ``599 no scripted reply left``.
        """
        for _ in range(times):
            self._server.replies.put(Reply(status, body, dict(headers or {}), delay))
        return self

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, in arrival order."""
        with self._server.lock:
            return list(self._server.received)


@contextmanager
def _serving(server: _StandInHTTPServer, scheme: str) -> Iterator[WebhookStandIn]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield WebhookStandIn(server, scheme)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def webhook_server() -> Iterator[WebhookStandIn]:
    """A running plain-HTTP :class:`WebhookStandIn`, shut down after the test."""
    with _serving(_StandInHTTPServer(), "http") as stand_in:
        yield stand_in


@pytest.fixture
def https_webhook_server(certificate: CertificateFiles) -> Iterator[WebhookStandIn]:
    """A running HTTPS :class:`WebhookStandIn` presenting the self-signed certificate."""
    with _serving(_StandInHTTPServer(certificate.server_context()), "https") as stand_in:
        yield stand_in


# --------------------------------------------------------------------------
# A self-signed certificate for the SMTP server
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFiles:
    """PEM files for a self-signed server certificate valid for 127.0.0.1."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """A TLS server context presenting this certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts exactly this certificate."""
        return ssl.create_default_context(cafile=str(self.cert))


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    """Generate (once per session) a self-signed cert for localhost / 127.0.0.1."""
    directory = tmp_path_factory.mktemp("smtp-tls")
    # EC keys generate in milliseconds, unlike RSA.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(LOOPBACK))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return CertificateFiles(cert=cert_path, key=key_path)


# --------------------------------------------------------------------------
# The SMTP server
# --------------------------------------------------------------------------

SMTP_USERNAME = "digest-bot"
SMTP_PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the SMTP server accepted it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    over_tls: bool


@dataclass
class RecordingHandler:
    """An aiosmtpd handler that keeps what it receives and can refuse recipients."""

    refuse: frozenset[str] = frozenset()
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_RCPT(
        self,
        _server: SMTP,
        _session: Session,
        envelope: Envelope,
        address: str,
        _options: list[str],
    ) -> str:
        """Refuse recipients listed in ``refuse``; accept the rest."""
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, _session: Session, envelope: Envelope) -> str:
        """Store the message."""
        assert envelope.mail_from is not None
        assert isinstance(envelope.original_content, bytes)
        self.received.append(
            ReceivedMail(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                content=envelope.original_content,
                over_tls=server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 2.0.0 Message accepted for delivery"


@dataclass
class RecordingAuthenticator:
    """aiosmtpd authenticator accepting one username/password, noting mechanisms used."""

    mechanisms: list[str] = field(default_factory=list)

    def __call__(
        self,
        _server: SMTP,
        _session: Session,
        _envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        self.mechanisms.append(mechanism)
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == SMTP_USERNAME.encode()
            and auth_data.password == SMTP_PASSWORD.encode()
        ):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@dataclass
class SmtpStandIn:
    """A running aiosmtpd server and what it has seen."""

    host: str
    port: int
    handler: RecordingHandler
    authenticator: RecordingAuthenticator

    @property
    def received(self) -> list[ReceivedMail]:
        """Messages accepted so far."""
        return list(self.handler.received)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


StartSmtp = Callable[..., SmtpStandIn]


@pytest.fixture
def smtp_server(certificate: CertificateFiles) -> Iterator[StartSmtp]:
    """A factory starting aiosmtpd servers on loopback; all are stopped afterwards.

    Call it with ``mode="starttls"`` (default), ``"ssl"`` (implicit TLS) or
    ``"none"``; ``auth=True`` requires the fixture username/password (over TLS
    only); ``exclude_mechanisms`` hides AUTH mechanisms; ``refuse`` lists
    recipients to reject.
    """
    controllers: list[Controller] = []

    def start(
        *,
        mode: str = "starttls",
        auth: bool = True,
        exclude_mechanisms: tuple[str, ...] = (),
        refuse: frozenset[str] = frozenset(),
    ) -> SmtpStandIn:
        handler = RecordingHandler(refuse=refuse)
        authenticator = RecordingAuthenticator()
        smtp_options: dict[str, Any] = {
            "server_hostname": "localhost",
            "auth_require_tls": True,
            "auth_exclude_mechanism": exclude_mechanisms,
            "ready_timeout": 5.0,
        }
        if mode == "starttls":
            smtp_options.update(tls_context=certificate.server_context(), require_starttls=True)
            if auth:
                smtp_options.update(authenticator=authenticator, auth_required=True)
        elif mode == "ssl":
            smtp_options.update(ssl_context=certificate.server_context())
            if auth:
                # aiosmtpd only recognises STARTTLS as "TLS" for AUTH, not
                # implicit TLS, so it must be told not to insist. AUTH is then
                # offered but not demanded; the tests check that it happened.
                smtp_options.update(authenticator=authenticator, auth_require_tls=False)
        elif mode == "none":
            if auth:
                smtp_options.update(authenticator=authenticator)
        else:
            raise ValueError(mode)
        # aiosmtpd's readiness probe needs a concrete port, so we pick a free
        # one; retry in the unlikely event another process takes it first.
        for _ in range(5):
            port = _free_port()
            controller = Controller(handler, hostname=LOOPBACK, port=port, **smtp_options)
            try:
                controller.start()
            except OSError:
                continue
            controllers.append(controller)
            return SmtpStandIn(
                host=LOOPBACK, port=port, handler=handler, authenticator=authenticator
            )
        raise RuntimeError("could not start an SMTP server on a free loopback port")

    try:
        yield start
    finally:
        for controller in controllers:
            controller.stop()
