"""Sign-in and sign-out pages."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from werkzeug.wrappers import Response

from web.auth.forms import SignInForm
from web.auth.guard import safe_next_url
from web.auth.identity import IdentityProvider
from web.auth.session import end_session, signed_in_user, start_session

SIGN_IN_FAILED = "Enter a correct user name and password"


def _attempt_failed(response: Response) -> bool:
    """Only unsuccessful sign-ins count towards the rate limit (success redirects)."""
    return response.status_code != 303


def create_blueprint(
    identity: IdentityProvider, limiter: Limiter, sign_in_rate_limit: str
) -> Blueprint:
    """Build the ``auth`` blueprint: ``auth.sign_in`` and ``auth.sign_out``.

    Failed sign-in posts are limited to ``sign_in_rate_limit`` per client address; once
    over it, every sign-in post (right or wrong) gets the 429 page until the window passes.
    """
    bp = Blueprint("auth", __name__)

    @bp.route("/sign-in", methods=["GET", "POST"])
    @limiter.limit(sign_in_rate_limit, methods=["POST"], deduct_when=_attempt_failed)
    def sign_in() -> ResponseReturnValue:
        """Show the sign-in form; on good credentials start a session and go on."""
        next_url = safe_next_url(request.args.get("next"))
        if request.method == "GET" and signed_in_user() is not None:
            return redirect(next_url or url_for("pages.home"))
        form = SignInForm()
        if form.validate_on_submit():
            account = identity.authenticate(form.name.data or "", form.password.data or "")
            if account is not None:
                start_session(account)
                current_app.logger.info("Signed in: %s", account.name)
                return redirect(next_url or url_for("pages.home"), code=303)
            current_app.logger.warning(
                "Failed sign-in for %r from %s", form.name.data, request.remote_addr
            )
            form.name.errors = [SIGN_IN_FAILED]
        return render_template("auth/sign_in.html", form=form)

    @bp.post("/sign-out")
    def sign_out() -> ResponseReturnValue:
        """End the session (a CSRF-checked POST) and show the sign-in page."""
        end_session()
        flash("You have signed out", "success")
        return redirect(url_for("auth.sign_in"), code=303)

    return bp
