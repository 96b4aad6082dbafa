"""The application factory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from web.access import install_access
from web.account.routes import create_blueprint as create_account_blueprint
from web.accounts import AccountStore
from web.admin.routes import create_blueprint as create_admin_blueprint
from web.auth.guard import install_sign_in_guard
from web.auth.identity import IdentityProvider, LocalPasswordIdentityProvider
from web.auth.routes import create_blueprint as create_auth_blueprint
from web.auth.server_sessions import MemorySessionStore, SessionStore
from web.auth.session import SessionRules, install_sessions, signed_in_user
from web.auth.sign_in_attempts import AttemptStore, Limit, MemoryAttemptStore, SignInAttempts
from web.config import WebConfig
from web.errors import register_error_handlers
from web.grants import AllAuthorities, GrantStore
from web.navigation import navigation_items
from web.pages.routes import create_blueprint as create_pages_blueprint
from web.security_headers import install_security_headers

WEB_ROOT = Path(__file__).resolve().parent


def create_app(
    config: WebConfig,
    *,
    accounts: AccountStore,
    blueprints: Sequence[Blueprint] = (),
    identity_provider: IdentityProvider | None = None,
    grants: GrantStore | None = None,
    sessions: SessionStore | None = None,
    attempts: AttemptStore | None = None,
) -> Flask:
    """Build the web app.

    Args:
        config: The web settings.
        accounts: Where user accounts live; also used to reload the signed-in user on
            every request, so removing a user or changing their role takes effect at once.
        blueprints: More areas (such as the ledger's pages) to register. Their pages need
            a signed-in user unless marked with :func:`web.auth.guard.public`; use
            :func:`web.auth.roles.require_role` and
            :func:`web.auth.session.current_user_name` inside them.
        identity_provider: How sign-in checks credentials; by default the local
            name-and-password check against ``accounts``.
        grants: Which authorities each user's role applies to (:mod:`web.grants`); without
            it, every role applies to every authority.
        sessions: Where sessions are kept on the server (the ledger's database in the
            deployed app; this process's memory by default).
        attempts: Where sign-in attempts are counted (likewise).

    Returns:
        The Flask app, with CSRF protection, server-side sessions, sign-in locks, the
        sign-in guard, security headers and GOV.UK error pages in place.
    """
    app = Flask(
        __name__,
        root_path=str(WEB_ROOT),
        static_folder="static",
        template_folder="templates",
    )
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        WTF_CSRF_ENABLED=config.csrf_enabled,
        SESSION_COOKIE_NAME=config.session_cookie_name,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.session_cookie_secure,
        PERMANENT_SESSION_LIFETIME=config.session_lifetime,
    )
    if config.trusted_proxy_count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=config.trusted_proxy_count, x_proto=config.trusted_proxy_count
        )

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(WEB_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    CSRFProtect(app)
    WTFormsHelpers(app)
    sign_in_attempts = SignInAttempts(
        attempts if attempts is not None else MemoryAttemptStore(),
        Limit.parse(config.sign_in_rate_limit),
        Limit.parse(config.account_lock_limit),
    )
    install_sessions(
        app,
        sessions if sessions is not None else MemorySessionStore(),
        SessionRules(idle=config.session_idle_timeout, lifetime=config.session_lifetime),
    )
    install_sign_in_guard(app, accounts)
    install_access(app, grants or AllAuthorities())
    install_security_headers(app, config)
    register_error_handlers(app)

    identity = identity_provider or LocalPasswordIdentityProvider(accounts)
    app.register_blueprint(create_auth_blueprint(identity, sign_in_attempts))
    app.register_blueprint(create_pages_blueprint(config))
    app.register_blueprint(create_admin_blueprint(accounts, sign_in_attempts))
    app.register_blueprint(create_account_blueprint(accounts))
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    @app.get("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        """Liveness check for load balancers: the process is up and serving."""
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        user = signed_in_user()
        return {
            "service_name": config.service_name,
            "organisation_name": config.organisation_name,
            "support_contact": config.support_contact,
            "signed_in_user": user,
            "navigation_items": navigation_items(app, config.navigation, user),
        }

    return app
