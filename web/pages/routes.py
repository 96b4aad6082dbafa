"""Home, accessibility statement, cookies and privacy pages."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from web.config import WebConfig


def create_blueprint(config: WebConfig) -> Blueprint:
    """Build the ``pages`` blueprint.

    ``pages.home`` (``/``) needs sign-in; it redirects to ``config.home_endpoint`` when that
    endpoint is registered and otherwise shows a plain signed-in page. The other pages are
    public.
    """
    bp = Blueprint("pages", __name__)

    @bp.get("/")
    def home() -> ResponseReturnValue:
        """Send a signed-in user to the dashboard, or say who is signed in."""
        if config.home_endpoint in current_app.view_functions:
            return redirect(url_for(config.home_endpoint))
        return render_template("pages/home.html")

    @bp.get("/accessibility")
    def accessibility() -> ResponseReturnValue:
        """The accessibility statement."""
        return render_template("pages/accessibility.html")

    @bp.get("/cookies")
    def cookies() -> ResponseReturnValue:
        """The cookies page: one strictly necessary session cookie, nothing optional."""
        hours = int(config.session_lifetime.total_seconds() // 3600)
        return render_template(
            "pages/cookies.html",
            cookie_name=config.session_cookie_name,
            session_hours=hours,
        )

    @bp.get("/privacy")
    def privacy() -> ResponseReturnValue:
        """The privacy notice."""
        return render_template("pages/privacy.html")

    return bp
