"""People and actions, nested in the ``ledger`` blueprint as ``ledger.people``: an authority's
people, one person's page (their details, actions and the reminders sent to them), one action's
page (its whole history, reminders and escalations included, with "Update this action"), and
"My actions" for a signed-in user linked to a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from projections.views import UnknownAuthority
from web.access import current_access
from web.auth.session import current_user
from web.journey_services import JourneyServices

KIND_WORDS = {
    "due_soon": "Reminder: due soon",
    "due_today": "Reminder: due today",
    "overdue": "Reminder: overdue",
    "update_asked": "Update asked for",
    "escalated_manager": "Escalated to the manager",
    "escalated_board": "Escalated to the board",
}


def create_blueprint(services: JourneyServices, audit_point: Callable[[], Any]) -> Blueprint:
    """Build the ``people`` blueprint; `audit_point()` is the request's audit query."""
    bp = Blueprint("people", __name__)
    views = services.views

    def authority_or_404(slug: str) -> dict[str, Any]:
        try:
            return views.authority(slug, audit_point().known_at)
        except UnknownAuthority:
            abort(404)

    @bp.context_processor
    def words() -> dict[str, Any]:
        return {"reminder_kind": lambda kind: KIND_WORDS.get(kind, kind.replace("_", " "))}

    @bp.get("/authorities/<slug>/people")
    def people(slug: str) -> ResponseReturnValue:
        """Everyone recorded for the authority: who they are, whom they report to, their open
        actions, and whether they get the weekly digest."""
        audit = audit_point()
        authority = authority_or_404(slug)
        view = views.people(slug, audit.as_of, audit.known_at)
        return render_template("people/people.html", slug=slug, authority=authority, view=view)

    @bp.get("/authorities/<slug>/people/<ref>")
    def person(slug: str, ref: str) -> ResponseReturnValue:
        """One person: details, manager and reports, their actions, the reminders sent."""
        audit = audit_point()
        authority = authority_or_404(slug)
        found = views.person(slug, ref, audit.as_of, audit.known_at)
        if found is None:
            abort(404)
        return render_template("people/person.html", slug=slug, authority=authority, person=found)

    @bp.get("/authorities/<slug>/actions/<path:ref>")
    def action(slug: str, ref: str) -> ResponseReturnValue:
        """One action: its owner, the recommendations it answers, its whole history."""
        audit = audit_point()
        authority = authority_or_404(slug)
        found = views.action(slug, ref, audit.as_of, audit.known_at)
        if found is None:
            abort(404)
        return render_template("people/action.html", slug=slug, authority=authority, action=found)

    @bp.get("/my-actions")
    def my_actions() -> ResponseReturnValue:
        """The actions assigned to the person (or people) the signed-in user is, in the
        authorities their role applies to."""
        audit = audit_point()
        access = current_access()
        found = views.my_actions(
            current_user().name, audit.as_of, None if access.everything else access.covers
        )
        return render_template("people/my_actions.html", found=found)

    return bp
