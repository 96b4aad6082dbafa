"""The ``ledger`` blueprint: the journey's pages (dashboard, timeline, recommendations, actions,
indicators), the audit page, and the recording forms nested inside it.

Every page answers "as of" a day and "as known at" an instant when the query string asks
(``?as_of=2018-07-01&known_at=2016-01-01T12:00``); while it does, every link to these pages
carries the same audit point and a banner says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from projections.timeline import KINDS
from projections.views import UnknownAuthority
from web.access import current_access, visible
from web.accounts import Role
from web.audit_query import AUDIT_PARAMETERS, LIVE, AuditQuery, BadAuditQuery, parse_audit_query
from web.auth.roles import require_role
from web.auth.session import signed_in_user
from web.error_summary import error_list
from web.exports.routes import create_blueprint as create_exports_blueprint
from web.form_fields import options
from web.journey.charts import line_chart
from web.journey.forms import AuditForm, TimelineFilterForm, TrackerFilterForm
from web.journey.paging import page_of, pagination
from web.journey.presentation import local_instant, long_date, template_helpers
from web.journey.tracker import (
    TrackerQuery,
    filter_actions,
    owners,
    search_recommendations,
)
from web.journey.wording import Indicator, TimelineWording
from web.journey_services import JourneyServices
from web.overview.routes import create_blueprint as create_overview_blueprint
from web.people.routes import create_blueprint as create_people_blueprint
from web.plan_upload.routes import create_blueprint as create_plan_upload_blueprint
from web.recording.catalogue import CATALOGUE
from web.recording.routes import create_blueprint as create_recording_blueprint

TIMELINE_PAGE_SIZE = 50
STATUSES = ("open", "closed", "all")


def current_audit() -> AuditQuery:
    """This request's audit point (the live view when none was asked for)."""
    audit = g.get("audit_query")
    return audit if isinstance(audit, AuditQuery) else LIVE


def create_blueprint(services: JourneyServices) -> Blueprint:
    """Build the ``ledger`` blueprint on the wired services."""
    bp = Blueprint("ledger", __name__)
    views = services.views
    zone = services.timezone
    helpers = template_helpers(zone)

    @bp.record_once
    def offer_downloads(state: Any) -> None:
        # A global, so the macros that draw the links (imported without context) see it.
        state.app.jinja_env.globals["has_downloads"] = services.reports is not None

    @bp.before_request
    def read_audit_query() -> None:
        try:
            g.audit_query = parse_audit_query(request.args, zone)
        except BadAuditQuery:
            abort(400)

    @bp.before_request
    def check_access() -> None:
        """An authority's pages and forms are for users whose role applies to it: its own
        grant, its region's, or every authority's (registering a new one needs that)."""
        access = current_access()
        slug = (request.view_args or {}).get("slug")
        if slug is not None:
            if not access.covers_authority(authority_or_404(slug)):
                abort(403)
        elif request.endpoint == "ledger.record.authority" and not access.everything:
            abort(403)

    @bp.url_defaults
    def carry_audit_query(_endpoint: str, values: dict[str, Any]) -> None:
        for name, value in current_audit().params().items():
            values.setdefault(name, value)

    @bp.context_processor
    def page_helpers() -> dict[str, Any]:
        user = signed_in_user()
        return {
            **helpers,
            "audit": current_audit(),
            "audit_description": audit_description(current_audit()),
            "error_list": error_list,
            "can_record": user is not None and user.can(Role.RECORDER),
            "leave_audit_url": leave_audit_url,
        }

    def audit_description(audit: AuditQuery) -> str:
        parts = []
        if audit.as_of is not None:
            parts.append(f"in force on {long_date(audit.as_of)}")
        if audit.known_at is not None:
            if audit.known_at_end_of_day:
                when = f"by the end of {long_date(audit.known_at.astimezone(zone).date())}"
            else:
                when = f"by {local_instant(audit.known_at, zone)} (London time)"
            parts.append(f"as the ledger had recorded it {when}")
        return " and ".join(parts)

    def leave_audit_url() -> str:
        values = dict(request.view_args or {})
        values.update(dict.fromkeys(AUDIT_PARAMETERS))
        return url_for(request.endpoint or "ledger.dashboard", **values)

    def authority_or_404(slug: str) -> dict[str, Any]:
        try:
            return views.authority(slug, current_audit().known_at)
        except UnknownAuthority:
            abort(404)

    def choose_authority(endpoint: str, heading: str) -> tuple[str | None, ResponseReturnValue]:
        """The only authority's slug; or, when there are none or several, a page listing them
        to choose from."""
        authorities = visible(views.authorities(current_audit().known_at))
        if len(authorities) == 1:
            return str(authorities[0]["slug"]), ""
        page = render_template(
            "journey/authorities.html", authorities=authorities, endpoint=endpoint, heading=heading
        )
        return None, page

    def wording(slug: str, entries: list[dict[str, Any]] | None = None) -> TimelineWording:
        """How this authority's entries read, as of the audit point (`entries`: its whole
        timeline, when the page already has it)."""
        audit = current_audit()
        if entries is None:
            entries = views.timeline(slug, audit.as_of, audit.known_at)["entries"]
        indicators = views.indicators(slug, audit.as_of, audit.known_at)["indicators"]
        named = {i["ref"]: Indicator(i["name"], i["unit"]) for i in indicators}
        return TimelineWording(services.frameworks, entries, named)

    def area_label(slug: str, rec: dict[str, Any]) -> str | None:
        """The label of the area a recommendation concerns, as its inspection's framework
        words it (frameworks word the same area differently)."""
        if not rec.get("area"):
            return None
        if rec.get("origin_kind") == "inspection":
            audit = current_audit()
            entries = views.timeline(slug, audit.as_of, audit.known_at, kinds=["inspection"])
            for entry in entries["entries"]:
                if entry["ref"] == rec["origin"] and entry["event"] == "InspectionRecorded":
                    framework = services.frameworks.frameworks.get(entry["facts"]["framework"])
                    for area in framework.areas if framework else ():
                        if area.key == rec["area"]:
                            return area.label
        return services.frameworks.area_label(rec["area"])

    # -- the journey -------------------------------------------------------------------------

    @bp.get("/dashboard", defaults={"slug": None})
    @bp.get("/authorities/<slug>")
    def dashboard(slug: str | None) -> ResponseReturnValue:
        """Judgements now, open recommendations, red and overdue actions, the latest visit and
        decision."""
        if slug is None:
            slug, chooser = choose_authority("ledger.dashboard", "Dashboard")
            if slug is None:
                return chooser
        audit = current_audit()
        authority = authority_or_404(slug)
        # Where each action stands, without every update of each: the dashboard's own query.
        actions = views.action_summaries(slug, audit.as_of, audit.known_at)
        attention = set(actions["red"]) | set(actions["overdue"])
        return render_template(
            "journey/dashboard.html",
            slug=slug,
            authority=authority,
            judgements=views.judgements(slug, audit.as_of, audit.known_at),
            recommendations=views.recommendations(
                slug, "open", audit.as_of, audit.known_at, summary=True
            ),
            actions=actions,
            attention=[a for a in actions["actions"] if a["ref"] in attention],
            visit=views.latest(slug, "monitoring_visit", audit.as_of, audit.known_at),
            deadlines=views.deadlines(slug, audit.as_of, audit.known_at)["deadlines"],
            decision=views.latest(slug, "decision", audit.as_of, audit.known_at),
        )

    @bp.get("/timeline", defaults={"slug": None})
    @bp.get("/authorities/<slug>/timeline")
    def timeline(slug: str | None) -> ResponseReturnValue:
        """The journey, dated by when each thing was true, filtered by kind and dates."""
        if slug is None:
            slug, chooser = choose_authority("ledger.timeline", "Timeline")
            if slug is None:
                return chooser
        audit = current_audit()
        authority = authority_or_404(slug)
        form = TimelineFilterForm(formdata=request.args)
        filtered = form.validate()
        view = views.timeline(
            slug,
            audit.as_of,
            audit.known_at,
            form.start.data if filtered else None,
            form.end.data if filtered else None,
            form.kinds() if filtered else (),
        )
        entries = list(reversed(view["entries"]))  # newest first
        page = page_of(entries, request.args.get("page", 1, type=int) or 1, TIMELINE_PAGE_SIZE)
        narrowed = filtered and (form.start.data or form.end.data or form.kinds())
        query: dict[str, Any] = {k: request.args.getlist(k) for k in request.args if k != "page"}
        return render_template(
            "journey/timeline.html",
            slug=slug,
            authority=authority,
            form=form if form.errors else None,
            filters=form,
            view=view,
            page=page,
            pagination=pagination(
                page, lambda n: url_for("ledger.timeline", slug=slug, **{**query, "page": n})
            ),
            kinds=KINDS,
            worded=wording(slug, None if narrowed else view["entries"]),
        )

    @bp.get("/authorities/<slug>/recommendations")
    def recommendations(slug: str) -> ResponseReturnValue:
        """Recommendations, open, closed or all, with the actions answering them."""
        audit = current_audit()
        authority = authority_or_404(slug)
        status = request.args.get("status", "open")
        if status not in STATUSES:
            status = "open"
        return render_template(
            "journey/recommendations.html",
            slug=slug,
            authority=authority,
            status=status,
            view=views.recommendations(slug, status, audit.as_of, audit.known_at),
        )

    @bp.get("/authorities/<slug>/recommendations/<path:ref>")
    def recommendation(slug: str, ref: str) -> ResponseReturnValue:
        """One recommendation, its actions and each action's full history."""
        audit = current_audit()
        authority = authority_or_404(slug)
        found = views.recommendation(slug, ref, audit.as_of, audit.known_at)
        if found is None:
            abort(404)
        entries = views.timeline(slug, audit.as_of, audit.known_at)["entries"]
        records = {f"recommendation/{ref}", *(f"action/{a['ref']}" for a in found["actions"])}
        corrections = [
            e for e in entries if e["event"] == "Corrected" and e["facts"]["corrects"] in records
        ]
        return render_template(
            "journey/recommendation.html",
            slug=slug,
            authority=authority,
            rec=found,
            area_label=area_label(slug, found),
            corrections=corrections,
            worded=wording(slug, entries),
        )

    @bp.get("/authorities/<slug>/actions")
    def actions(slug: str) -> ResponseReturnValue:
        """The action tracker: every action's status, rating and due date, filtered by rating,
        owner, status, timing and staleness, searched with the recommendations, and sorted."""
        audit = current_audit()
        authority = authority_or_404(slug)
        view = views.actions(slug, audit.as_of, audit.known_at)
        form = TrackerFilterForm(formdata=request.args)
        form.owner.choices = options(
            [("", "Any owner"), *((o, o) for o in owners(view["actions"]))]
        )
        asked = any(name in request.args for name in form._fields)
        query = TrackerQuery()
        if asked:
            form.validate()  # a bad number of weeks is shown, the other filters still apply
            query = form.query()
        recommended = views.recommendations(slug, "all", audit.as_of, audit.known_at)
        texts = {r["ref"]: r["text"] for r in recommended["recommendations"]}
        as_of = date.fromisoformat(view["as_of"])
        return render_template(
            "journey/actions.html",
            slug=slug,
            authority=authority,
            view=view,
            filters=form,
            form=form if form.errors else None,
            query=query,
            shown=filter_actions(view["actions"], query, as_of, texts),
            recommendations=search_recommendations(recommended["recommendations"], query.words),
            deadlines=views.deadlines(slug, audit.as_of, audit.known_at)["deadlines"],
        )

    @bp.get("/authorities/<slug>/indicators")
    def indicators(slug: str) -> ResponseReturnValue:
        """Each indicator as a chart and as a table of its readings."""
        audit = current_audit()
        authority = authority_or_404(slug)
        view = views.indicators(slug, audit.as_of, audit.known_at)
        return render_template(
            "journey/indicators.html",
            slug=slug,
            authority=authority,
            view=view,
            charts={i["ref"]: line_chart(i) for i in view["indicators"]},
            figures={
                i["ref"]: {
                    c["series"]: {r["period_end"]: r["value"] for r in c["readings"]}
                    for c in i["comparisons"]
                }
                for i in view["indicators"]
            },
        )

    # -- audit -------------------------------------------------------------------------------

    @bp.get("/audit")
    def audit() -> ResponseReturnValue:
        """Choose an audit point; see the ledger's fingerprint and whether its history is intact."""
        chosen = current_audit()
        form = AuditForm(formdata=request.args if "show" in request.args else None)
        if "show" in request.args:
            if form.validate():
                as_of = form.as_of()
                return redirect(
                    url_for(
                        "ledger.dashboard",
                        as_of=as_of.isoformat() if as_of else None,
                        known_at=form.known_at_text(zone),
                    ),
                    code=303,
                )
        else:
            form.fill_from(chosen.as_of, chosen.known_at_text)
        return render_template(
            "journey/audit.html",
            form=form if form.errors else None,
            audit_form=form,
            fingerprint=services.ledger.fingerprint(),
            verification=services.ledger.verify(),
        )

    # -- recording ---------------------------------------------------------------------------

    @bp.get("/record", defaults={"slug": None})
    @bp.get("/authorities/<slug>/record")
    @require_role(Role.RECORDER)
    def record(slug: str | None) -> ResponseReturnValue:
        """Every kind of event that can be recorded (recorders and admins only)."""
        if slug is None:
            slug, chooser = choose_authority("ledger.record", "Record")
            if slug is None:
                return chooser
        return render_template(
            "recording/landing.html",
            slug=slug,
            authority=authority_or_404(slug),
            catalogue=CATALOGUE,
        )

    bp.register_blueprint(create_recording_blueprint(services))
    bp.register_blueprint(create_exports_blueprint(services))
    bp.register_blueprint(create_plan_upload_blueprint(services))
    bp.register_blueprint(create_overview_blueprint(services, current_audit))
    bp.register_blueprint(create_people_blueprint(services, current_audit))
    return bp
