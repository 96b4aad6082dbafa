"""The read-only JSON API under ``/api``: the same views as the command line's ``--json``.

Every endpoint takes ``as_of`` (a day) and ``known_at`` (an instant; a bare date is the end of
that day, a time without an offset is London time). It needs a signed-in session, like the
pages; without one it answers ``401`` with a JSON body rather than the sign-in page. Every
error is a JSON body ``{"error": "..."}``. See docs/api.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ledger.domain.grades import Grade
from projections.timeline import KINDS
from projections.views import UnknownAuthority
from web.access import current_access, visible
from web.audit_query import AuditQuery, BadAuditQuery, parse_audit_query, parse_day
from web.auth.guard import public
from web.auth.session import signed_in_user
from web.journey_services import JourneyServices

STATUSES = ("open", "closed", "all")
GRADES = tuple(g.value for g in Grade)
TRUE_WORDS = ("1", "true", "yes")


class ApiProblem(Exception):
    """A request the API cannot answer: its HTTP status and a sentence saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def as_json(data: Any, status: int = 200) -> Response:
    """``data`` as a JSON response, keys in the views' own order (as the CLI prints them)."""
    body = json.dumps(data, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


def create_blueprint(services: JourneyServices) -> Blueprint:
    """Build the ``api`` blueprint on the wired services."""
    bp = Blueprint("api", __name__, url_prefix="/api")
    views = services.views
    zone = services.timezone

    # The app's sign-in guard would send a signed-out caller to the HTML sign-in page, so
    # the views are marked public for the guard and this check answers 401 in JSON instead.
    @bp.before_request
    def require_signed_in() -> Response | None:
        if signed_in_user() is None:
            return as_json({"error": "sign in first: the API uses the web app's session"}, 401)
        return None

    @bp.before_request
    def check_access() -> Response | None:
        """An authority's answers are for users whose role applies to it (see web.grants)."""
        slug = (request.view_args or {}).get("slug")
        if slug is None or signed_in_user() is None:
            return None
        try:
            found = views.authority(slug, audit().known_at)
        except UnknownAuthority as error:
            return as_json({"error": str(error)}, 404)
        except ApiProblem as error:
            return as_json({"error": error.message}, error.status)
        if not current_access().covers_authority(found):
            return as_json({"error": f"your role does not apply to {slug!r}"}, 403)
        return None

    @bp.errorhandler(ApiProblem)
    def problem(error: ApiProblem) -> Response:
        return as_json({"error": error.message}, error.status)

    @bp.errorhandler(UnknownAuthority)
    def unknown_authority(error: UnknownAuthority) -> Response:
        return as_json({"error": str(error)}, 404)

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        code = error.code or 500
        if isinstance(error, InternalServerError):
            return as_json({"error": "the service could not answer; try again later"}, 500)
        return as_json({"error": (error.description or error.name).rstrip(".")}, code)

    def audit() -> AuditQuery:
        try:
            return parse_audit_query(request.args, zone)
        except BadAuditQuery as error:
            raise ApiProblem(400, str(error)) from None

    def day_param(name: str) -> Any:
        text = (request.args.get(name) or "").strip()
        if not text:
            return None
        try:
            return parse_day(text, name)
        except BadAuditQuery as error:
            raise ApiProblem(400, str(error)) from None

    @bp.get("/authorities")
    @public
    def authorities() -> Response:
        """Every authority recorded (as known at ``known_at``)."""
        point = audit()
        known_at = point.known_at.isoformat() if point.known_at else None
        return as_json(
            {"known_at": known_at, "authorities": visible(views.authorities(point.known_at))}
        )

    @bp.get("/overview")
    @public
    def overview() -> Response:
        """Every authority's current grades and counts per grade (``region``, ``grade``)."""
        point = audit()
        region = (request.args.get("region") or "").strip() or None
        grade = (request.args.get("grade") or "").strip() or None
        if grade is not None and grade not in GRADES:
            raise ApiProblem(400, f"grade must be one of {', '.join(GRADES)} (got {grade!r})")
        access = current_access()
        only = None if access.everything else access.covers
        return as_json(views.overview(region, point.as_of, point.known_at, grade, only=only))

    @bp.get("/authorities/<slug>")
    @public
    def authority(slug: str) -> Response:
        """One authority: its name, codes and who registered it."""
        return as_json(views.authority(slug, audit().known_at))

    @bp.get("/authorities/<slug>/judgements")
    @public
    def judgements(slug: str) -> Response:
        """Current judgement per area, previous grade and direction of travel."""
        point = audit()
        return as_json(views.judgements(slug, point.as_of, point.known_at))

    @bp.get("/authorities/<slug>/recommendations")
    @public
    def recommendations(slug: str) -> Response:
        """Recommendations (``status``: open, closed or all) and the actions answering them."""
        point = audit()
        status = request.args.get("status", "open")
        if status not in STATUSES:
            raise ApiProblem(400, f"status must be one of {', '.join(STATUSES)} (got {status!r})")
        return as_json(views.recommendations(slug, status, point.as_of, point.known_at))

    @bp.get("/authorities/<slug>/recommendations/<path:ref>")
    @public
    def recommendation(slug: str, ref: str) -> Response:
        """One recommendation with its actions and their full history."""
        point = audit()
        found = views.recommendation(slug, ref, point.as_of, point.known_at)
        if found is None:
            raise ApiProblem(404, f"no recommendation {ref!r} is recorded for {slug!r}")
        return as_json(found)

    @bp.get("/authorities/<slug>/actions")
    @public
    def actions(slug: str) -> Response:
        """The action tracker (``overdue=true`` for overdue actions only)."""
        point = audit()
        overdue = (request.args.get("overdue") or "").lower() in TRUE_WORDS
        return as_json(views.actions(slug, point.as_of, point.known_at, overdue_only=overdue))

    @bp.get("/authorities/<slug>/timeline")
    @public
    def timeline(slug: str) -> Response:
        """The journey, dated by when each thing was true (``from``, ``to``, ``kind``...)."""
        point = audit()
        kinds = request.args.getlist("kind")
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown:
            raise ApiProblem(
                400, f"kind must be among {', '.join(KINDS)} (got {', '.join(map(repr, unknown))})"
            )
        start, end = day_param("from"), day_param("to")
        if start and end and end < start:
            raise ApiProblem(400, "to must be on or after from")
        return as_json(views.timeline(slug, point.as_of, point.known_at, start, end, kinds))

    @bp.get("/authorities/<slug>/indicators")
    @public
    def indicators(slug: str) -> Response:
        """Each indicator's readings and how the latest moved."""
        point = audit()
        return as_json(views.indicators(slug, point.as_of, point.known_at))

    @bp.get("/authorities/<slug>/actions/<path:ref>")
    @public
    def action(slug: str, ref: str) -> Response:
        """One action's page: its owner, the recommendations it answers, its whole history."""
        point = audit()
        found = views.action(slug, ref, point.as_of, point.known_at)
        if found is None:
            raise ApiProblem(404, f"no action {ref!r} is recorded for {slug!r}")
        return as_json(found)

    @bp.get("/authorities/<slug>/people")
    @public
    def people(slug: str) -> Response:
        """The authority's people, with their manager and open actions."""
        point = audit()
        return as_json(views.people(slug, point.as_of, point.known_at))

    @bp.get("/authorities/<slug>/people/<ref>")
    @public
    def person(slug: str, ref: str) -> Response:
        """One person: details, their actions, the reminders sent to them."""
        point = audit()
        found = views.person(slug, ref, point.as_of, point.known_at)
        if found is None:
            raise ApiProblem(404, f"no person {ref!r} is recorded for {slug!r}")
        return as_json(found)

    @bp.get("/authorities/<slug>/deadlines")
    @public
    def deadlines(slug: str) -> Response:
        """The statutory deadlines the authority's inspections and visits set."""
        point = audit()
        return as_json(views.deadlines(slug, point.as_of, point.known_at))

    @bp.get("/my-actions")
    @public
    def my_actions() -> Response:
        """The actions assigned to the person the signed-in user is (where they may see)."""
        point = audit()
        user = signed_in_user()
        access = current_access()
        assert user is not None  # require_signed_in ran first
        only = None if access.everything else access.covers
        found = views.my_actions(user.name, point.as_of, only)
        return as_json({"account": user.name, "people": found})

    @bp.get("/fingerprint")
    @public
    def fingerprint() -> Response:
        """The chain head now: keep it, and check later that the history still extends it."""
        head = services.ledger.fingerprint()
        return as_json({"fingerprint": str(head), "count": head.count})

    @bp.get("/verify")
    @public
    def verify() -> Response:
        """Walk the whole history against its seals."""
        outcome = services.ledger.verify()
        return as_json(
            {
                "intact": outcome.intact,
                "events": outcome.fingerprint.count,
                "fingerprint": str(outcome.fingerprint),
                "problem": asdict(outcome.problem) if outcome.problem else None,
            }
        )

    @bp.route("/", defaults={"anything": ""})
    @bp.route("/<path:anything>")
    @public
    def not_found(anything: str) -> Response:
        """Anything else under /api: a JSON 404 rather than the HTML page."""
        return as_json({"error": f"no such API endpoint: /api/{anything}"}, 404)

    return bp
