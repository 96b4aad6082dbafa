"""Settings for the web app, passed to :func:`web.app.create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from limits import parse as parse_rate_limit

from web.accounts import Role

SERVICE_NAME = "Improvement journey ledger"
#: Failed sign-ins for one account from one address, and from anywhere, before it is locked.
SIGN_IN_RATE_LIMIT = "5 per minute"
ACCOUNT_LOCK_LIMIT = "20 per hour"
MIN_SECRET_KEY_LENGTH = 16


@dataclass(frozen=True, slots=True)
class NavItem:
    """One link in the service navigation.

    The link is shown only when ``endpoint`` is registered on the app and the signed-in
    user holds at least ``role``, so listing endpoints of blueprints that are not there
    yet is harmless.
    """

    text: str
    endpoint: str
    role: Role = Role.VIEWER


DEFAULT_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Dashboard", "ledger.dashboard"),
    NavItem("My actions", "ledger.people.my_actions"),
    NavItem("All authorities", "ledger.overview.page"),
    NavItem("Timeline", "ledger.timeline"),
    NavItem("Audit", "ledger.audit"),
    NavItem("Record", "ledger.record", Role.RECORDER),
    NavItem("Users", "admin.users", Role.ADMIN),
)


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Everything :func:`web.app.create_app` needs to know, fixed for the app's lifetime.

    Attributes:
        secret_key: Signs the session cookie and CSRF tokens; at least 16 characters.
        service_name: Shown in the header and page titles.
        organisation_name: Shown in the header's logo area, e.g. the council's name.
        session_cookie_secure: Mark the session cookie ``Secure`` (and name it with the
            ``__Host-`` prefix). Turn off only for plain-HTTP local development and tests.
        hsts: Send ``Strict-Transport-Security``. Only when the service is served over HTTPS.
        sign_in_rate_limit: Failed sign-ins allowed for one account from one address before
            it is locked there, such as ``"5 per minute"`` (counted in the database).
        account_lock_limit: Failed sign-ins allowed for one account from anywhere before it
            is locked everywhere until the window passes or an admin lifts the lock.
        session_lifetime: A session ends this long after sign-in, however active.
        session_idle_timeout: A session ends after this long without a request.
        trusted_proxy_count: How many reverse proxies in front of the app set
            ``X-Forwarded-For``/``X-Forwarded-Proto``. Leave at 0 unless there are some:
            it decides which address the sign-in rate limit counts against.
        navigation: Service navigation links; see :class:`NavItem`.
        home_endpoint: Where ``/`` sends a signed-in user when that endpoint is registered
            (the ledger's dashboard); otherwise ``/`` shows a plain signed-in home page.
        support_contact: How users reach the team running the service (email address or
            sentence), shown on the accessibility and privacy pages.
        csrf_enabled: Check CSRF tokens on every form post. Turn off only in tests.
        testing: Flask's testing mode.
    """

    secret_key: str
    service_name: str = SERVICE_NAME
    organisation_name: str = "Children's services"
    session_cookie_secure: bool = True
    hsts: bool = False
    sign_in_rate_limit: str = SIGN_IN_RATE_LIMIT
    account_lock_limit: str = ACCOUNT_LOCK_LIMIT
    session_lifetime: timedelta = timedelta(hours=8)
    session_idle_timeout: timedelta = timedelta(minutes=30)
    trusted_proxy_count: int = 0
    navigation: tuple[NavItem, ...] = field(default=DEFAULT_NAVIGATION)
    home_endpoint: str = "ledger.dashboard"
    support_contact: str = "the council's children's services improvement team"
    csrf_enabled: bool = True
    testing: bool = False

    def __post_init__(self) -> None:
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"The web secret key must be at least {MIN_SECRET_KEY_LENGTH} characters long"
            )
        for limit in (self.sign_in_rate_limit, self.account_lock_limit):
            try:
                parse_rate_limit(limit)
            except ValueError as error:
                raise ValueError(
                    f"Sign-in rate limit {limit!r} is not a rate such as '5 per minute'"
                ) from error
        if self.trusted_proxy_count < 0:
            raise ValueError("trusted_proxy_count cannot be negative")
        if self.session_lifetime <= timedelta(0):
            raise ValueError("session_lifetime must be positive")
        if self.session_idle_timeout <= timedelta(0):
            raise ValueError("session_idle_timeout must be positive")

    @property
    def session_cookie_name(self) -> str:
        """The session cookie's name: ``__Host-`` prefixed whenever it is ``Secure``."""
        return "__Host-session" if self.session_cookie_secure else "session"
