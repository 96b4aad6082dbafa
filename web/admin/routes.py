"""The admin pages: list users, add a user, change a user's role, reset a user's password (to a
one-time password shown once) and disable or enable an account. Admins cannot do the last three
to their own account, so one working admin always remains. Also: lift a sign-in lock, and the
accounts audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from web.account.one_time import one_time_password
from web.accounts import (
    Account,
    AccountError,
    AccountExists,
    AccountStore,
    InvalidAccountName,
    Role,
)
from web.admin.forms import ROLE_HINTS, AddUserForm, ChangeRoleForm, ConfirmForm
from web.auth.audited_accounts import AuditedAccounts
from web.auth.roles import require_role
from web.auth.session import current_user
from web.auth.sign_in_attempts import SignInAttempts


def _role_items() -> list[dict[str, Any]]:
    """Per-radio parameters giving each role its hint."""
    return [{"hint": {"text": hint}} for hint in ROLE_HINTS]


def create_blueprint(accounts: AccountStore, attempts: SignInAttempts) -> Blueprint:
    """Build the ``admin`` blueprint (every page admin-only) under ``/admin``."""
    bp = Blueprint("admin", __name__, url_prefix="/admin")

    @bp.get("/users")
    @require_role(Role.ADMIN)
    def users() -> ResponseReturnValue:
        """List every user and their role, and any account locked from signing in."""
        return render_template(
            "admin/users.html",
            accounts=accounts.list(),
            me=current_user().name,
            locks=attempts.locks(datetime.now(UTC)),
            lift_form=FlaskForm(),
            audited=isinstance(accounts, AuditedAccounts),
        )

    @bp.post("/users/<name>/unlock")
    @require_role(Role.ADMIN)
    def unlock(name: str) -> ResponseReturnValue:
        """Lift every sign-in lock on an account (a CSRF-checked POST)."""
        if not FlaskForm().validate_on_submit():
            abort(400)
        attempts.lift(name, datetime.now(UTC))
        flash(f"{name} can sign in again", "success")
        return redirect(url_for("admin.users"), code=303)

    @bp.get("/audit")
    @require_role(Role.ADMIN)
    def audit() -> ResponseReturnValue:
        """The accounts audit trail: what was done to accounts, whether the trail is intact,
        and any account changed outside the ledger."""
        if not isinstance(accounts, AuditedAccounts):
            abort(404)
        trail = accounts.audit
        return render_template(
            "admin/audit.html",
            entries=trail.history(),
            verification=trail.verify(),
            discrepancies=accounts.discrepancies(),
        )

    @bp.route("/users/add", methods=["GET", "POST"])
    @require_role(Role.ADMIN)
    def add_user() -> ResponseReturnValue:
        """Add a user with a role and a first password."""
        form = AddUserForm()
        if form.validate_on_submit():
            try:
                account = accounts.add(
                    form.name.data or "", form.role.data or "", form.password.data or ""
                )
            except (AccountExists, InvalidAccountName) as error:
                form.name.errors = [str(error)]
            except AccountError as error:
                form.password.errors = [str(error)]
            else:
                flash(f"Added {account.name} as {account.role.value}", "success")
                return redirect(url_for("admin.users"), code=303)
        return render_template("admin/add_user.html", form=form, role_items=_role_items())

    @bp.route("/users/<name>/role", methods=["GET", "POST"])
    @require_role(Role.ADMIN)
    def change_role(name: str) -> ResponseReturnValue:
        """Change one user's role. Admins cannot change their own, so one always remains."""
        account = accounts.get(name)
        if account is None:
            abort(404)
        form = ChangeRoleForm()
        if not form.is_submitted():
            form.role.data = account.role.value
        own_account = account.name == current_user().name
        if form.validate_on_submit():
            if own_account:
                form.role.errors = ["You cannot change your own role; ask another admin"]
            else:
                changed = accounts.set_role(account.name, form.role.data or "")
                flash(f"{changed.name} is now {changed.role.value}", "success")
                return redirect(url_for("admin.users"), code=303)
        return render_template(
            "admin/change_role.html",
            form=form,
            account=account,
            own_account=own_account,
            role_items=_role_items(),
        )

    def someone_else(name: str) -> Account:
        """The account called ``name``: 404 if there is none, 403 if it is the admin's own."""
        account = accounts.get(name)
        if account is None:
            abort(404)
        if account.name == current_user().name:
            abort(403)
        return account

    @bp.route("/users/<name>/password", methods=["GET", "POST"])
    @require_role(Role.ADMIN)
    def reset_password(name: str) -> ResponseReturnValue:
        """Give a user a one-time password, shown once here, ending their sessions."""
        account = someone_else(name)
        form = ConfirmForm()
        form.submit.label.text = "Reset password"
        if form.validate_on_submit():
            password = one_time_password()
            accounts.set_password(account.name, password, temporary=True)
            # Shown in this response only: a flashed message would sit in the session cookie.
            return render_template("admin/password_reset.html", account=account, password=password)
        return render_template("admin/confirm_reset.html", form=form, account=account)

    @bp.route("/users/<name>/access", methods=["GET", "POST"])
    @require_role(Role.ADMIN)
    def change_access(name: str) -> ResponseReturnValue:
        """Disable an account (it cannot sign in; its sessions end), or enable it again."""
        account = someone_else(name)
        form = ConfirmForm()
        form.submit.label.text = "Enable account" if account.disabled else "Disable account"
        if form.validate_on_submit():
            changed = accounts.set_disabled(account.name, not account.disabled)
            what = "disabled: they cannot sign in" if changed.disabled else "enabled again"
            flash(f"The account {changed.name} is {what}", "success")
            return redirect(url_for("admin.users"), code=303)
        return render_template("admin/confirm_access.html", form=form, account=account)

    return bp
