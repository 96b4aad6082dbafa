"""Changing one's own password, and holding a user with a one-time password to it.

A one-time password (printed when the ledger first runs, or made by an admin's reset) lets its
user do one thing: choose their own. Until they have, every other page sends them here.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web.account.forms import ChangePasswordForm
from web.accounts import AccountError, AccountStore
from web.auth.guard import is_public, safe_next_url
from web.auth.session import current_user, signed_in_user, start_session


def create_blueprint(accounts: AccountStore) -> Blueprint:
    """Build the ``account`` blueprint: ``account.change_password`` at ``/account/password``."""
    bp = Blueprint("account", __name__, url_prefix="/account")

    @bp.before_app_request
    def one_time_password_first() -> ResponseReturnValue | None:
        """Send a user signed in with a one-time password to choose their own first."""
        user = signed_in_user()
        if user is None or not user.must_change_password:
            return None
        endpoint = request.endpoint or ""
        if endpoint in ("account.change_password", "auth.sign_out"):
            return None
        if is_public(current_app, endpoint):
            return None  # the accessibility statement, cookies and privacy pages
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        next_url = safe_next_url(target) if request.path != "/" else None
        return redirect(url_for("account.change_password", next=next_url), code=303)

    @bp.route("/password", methods=["GET", "POST"])
    def change_password() -> ResponseReturnValue:
        """Check the current password, then set the new one and start a fresh session."""
        user = current_user()
        form = ChangePasswordForm()
        if form.validate_on_submit():
            current = form.current_password.data or ""
            new = form.new_password.data or ""
            if accounts.authenticate(user.name, current) is None:
                form.current_password.errors = ["Your current password is not right"]
            elif new == current:
                form.new_password.errors = ["Your new password must differ from the current one"]
            else:
                try:
                    changed = accounts.set_password(user.name, new)
                except AccountError as error:
                    form.new_password.errors = [str(error)]
                else:
                    # The stamp changed with the password: the old session has ended everywhere.
                    start_session(changed)
                    flash("Your password has been changed", "success")
                    next_url = safe_next_url(request.args.get("next"))
                    return redirect(next_url or url_for("pages.home"), code=303)
        return render_template(
            "account/change_password.html", form=form, one_time=user.must_change_password
        )

    return bp
