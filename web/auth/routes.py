"""Sign-in and sign-out pages."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web.accounts import InvalidAccountName, normalise_name
from web.auth.forms import SignInForm
from web.auth.guard import safe_next_url
from web.auth.identity import IdentityProvider
from web.auth.session import end_session, signed_in_user, start_session
from web.auth.sign_in_attempts import SignInAttempts

SIGN_IN_FAILED = "Enter a correct user name and password"


def _counted_name(typed: str) -> str:
    """The name attempts are counted under (a name that is not one is counted as typed)."""
    try:
        return normalise_name(typed)
    except InvalidAccountName:
        return typed.strip().lower()[:254]


def create_blueprint(identity: IdentityProvider, attempts: SignInAttempts) -> Blueprint:
    """Build the ``auth`` blueprint: ``auth.sign_in`` and ``auth.sign_out``.

    Failed sign-ins are counted in the database per account and per account and address (see
    `web.auth.sign_in_attempts`); a locked sign-in gets the 429 page without its password
    being checked.
    """
    bp = Blueprint("auth", __name__)

    @bp.route("/sign-in", methods=["GET", "POST"])
    def sign_in() -> ResponseReturnValue:
        """Show the sign-in form; on good credentials start a session and go on."""
        next_url = safe_next_url(request.args.get("next"))
        if request.method == "GET" and signed_in_user() is not None:
            return redirect(next_url or url_for("pages.home"))
        form = SignInForm()
        if form.validate_on_submit():
            name = _counted_name(form.name.data or "")
            address = request.remote_addr or ""
            now = datetime.now(UTC)
            lock = attempts.lock(name, address, now)
            if lock is not None:
                current_app.logger.warning("Locked sign-in for %r from %s", name, address)
                wait = max(1, math.ceil((lock.until - now).total_seconds()))
                page = render_template(
                    "auth/locked.html",
                    minutes=math.ceil(wait / 60),
                    everywhere=lock.address is None,
                )
                return page, 429, {"Retry-After": str(wait)}
            account = identity.authenticate(form.name.data or "", form.password.data or "")
            attempts.record(name, address, account is not None, now)
            if account is not None:
                start_session(account)
                current_app.logger.info("Signed in: %s", account.name)
                return redirect(next_url or url_for("pages.home"), code=303)
            current_app.logger.warning("Failed sign-in for %r from %s", name, address)
            form.name.errors = [SIGN_IN_FAILED]
        return render_template("auth/sign_in.html", form=form)

    @bp.post("/sign-out")
    def sign_out() -> ResponseReturnValue:
        """End the session on the server (a CSRF-checked POST) and show the sign-in page."""
        end_session()
        flash("You have signed out", "success")
        return redirect(url_for("auth.sign_in"), code=303)

    return bp
