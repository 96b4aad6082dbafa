"""Downloads of every list (CSV and XLSX, at the page's audit point) and the board pack page,
nested in the ``ledger`` blueprint as ``ledger.exports.<view>``."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue

from projections.views import UnknownAuthority
from web.audit_query import LIVE, AuditQuery, parse_instant
from web.exports.forms import PackForm
from web.form_fields import options
from web.journey.forms import TimelineFilterForm, TrackerFilterForm
from web.journey.tracker import filter_actions, owners
from web.journey_services import JourneyServices

LISTS = ("judgements", "recommendations", "actions", "timeline", "indicators")
FORMATS = ("csv", "xlsx")


def _audit() -> AuditQuery:
    audit = g.get("audit_query")
    return audit if isinstance(audit, AuditQuery) else LIVE


def create_blueprint(services: JourneyServices) -> Blueprint:
    """Build the ``exports`` blueprint; register it inside the ``ledger`` blueprint."""
    bp = Blueprint("exports", __name__)
    views = services.views

    def maker() -> Any:
        if services.reports is None:
            abort(404)
        return services.reports

    def authority_or_404(slug: str) -> dict[str, Any]:
        try:
            return views.authority(slug, _audit().known_at)
        except UnknownAuthority:
            abort(404)

    def view_of(name: str, slug: str) -> dict[str, Any]:
        audit = _audit()
        if name == "judgements":
            return views.judgements(slug, audit.as_of, audit.known_at)
        if name == "recommendations":
            status = request.args.get("status", "open")
            status = status if status in ("open", "closed", "all") else "open"
            return views.recommendations(slug, status, audit.as_of, audit.known_at)
        if name == "actions":
            return filtered_actions(slug, audit)
        if name == "timeline":
            form = TimelineFilterForm(formdata=request.args)
            ok = form.validate()
            return views.timeline(
                slug,
                audit.as_of,
                audit.known_at,
                form.start.data if ok else None,
                form.end.data if ok else None,
                form.kinds() if ok else (),
            )
        return views.indicators(slug, audit.as_of, audit.known_at)

    def filtered_actions(slug: str, audit: AuditQuery) -> dict[str, Any]:
        """The tracker as the page shows it: with the page's filters, search and sort."""
        view = views.actions(slug, audit.as_of, audit.known_at)
        form = TrackerFilterForm(formdata=request.args)
        form.owner.choices = options(
            [("", "Any owner"), *((o, o) for o in owners(view["actions"]))]
        )
        if not any(name in request.args for name in form._fields):
            return view
        form.validate()
        recommended = views.recommendations(slug, "all", audit.as_of, audit.known_at)
        texts = {r["ref"]: r["text"] for r in recommended["recommendations"]}
        as_of = date.fromisoformat(view["as_of"])
        return {**view, "actions": filter_actions(view["actions"], form.query(), as_of, texts)}

    @bp.get("/authorities/<slug>/download/<name>.<fmt>")
    def table(slug: str, name: str, fmt: str) -> ResponseReturnValue:
        """A list as a CSV or XLSX file, as the page with the same query shows it."""
        if name not in LISTS or fmt not in FORMATS:
            abort(404)
        authority_or_404(slug)
        view = view_of(name, slug)
        made = maker().table(name, view, fmt)
        when = view.get("as_of", "")
        known = f"-known-at-{request.args['known_at']}" if request.args.get("known_at") else ""
        return _download(made.data, made.media_type, f"{slug}-{name}-{when}{known}.{fmt}")

    @bp.get("/authorities/<slug>/pack")
    def pack(slug: str) -> ResponseReturnValue:
        """Make a board pack for a meeting and download it."""
        authority = authority_or_404(slug)
        reports = maker()
        submitted = "make" in request.args
        form = PackForm(
            formdata=request.args if submitted else None,
            parse_instant=lambda text: parse_instant(text, services.timezone)[0],
        )
        if submitted and form.validate():
            meeting = form.meeting.data
            assert isinstance(meeting, date)  # a required field, validated above
            made = reports.pack(slug, meeting, form.previous.data, form.instant, form.format.data)
            name = f"{slug}-board-pack-{meeting.isoformat()}.{form.format.data}"
            return _download(made.data, made.media_type, name, inline=form.format.data == "html")
        return render_template(
            "exports/pack.html",
            slug=slug,
            authority=authority,
            form=form if form.errors else None,
            pack_form=form,
        )

    return bp


# A pack shown in the browser is a self-contained document with its stylesheet inside it and
# no script: it may style itself, and nothing else. (A nonce would make each copy differ.)
PACK_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def _download(data: bytes, media_type: str, name: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    safe = "".join(c if c.isalnum() or c in "-._" else "-" for c in name)
    headers = {"Content-Disposition": f'{disposition}; filename="{safe}"'}
    if inline:
        headers["Content-Security-Policy"] = PACK_POLICY
    return Response(
        data, mimetype=media_type.split(";")[0], content_type=media_type, headers=headers
    )
