"""The national and regional view, nested in the ``ledger`` blueprint as ``ledger.overview``:
every authority's grades (in a region, with an overall grade, as the filters ask), counts per
grade, a chart of the grades over the years, and the same table as CSV or XLSX."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup

from ledger.domain.authority_names import region_key
from ledger.domain.grades import Grade
from web.access import current_access
from web.journey.presentation import direction, grade_tag, tag_html
from web.journey_services import JourneyServices
from web.overview.charts import SERIES_LABELS, grade_chart
from web.overview.exports import as_csv, as_xlsx

GRADES = [g.value for g in Grade]


def grade_label(grade: str | None) -> str:
    return Grade(grade).label if grade else ""


def short_grade_tag(grade: str) -> dict[str, Any]:
    """A grade's tag in a tight table: reports' own short form of 'requires improvement to be
    good' (the same grade)."""
    tag = grade_tag(grade)
    if grade == Grade.REQUIRES_IMPROVEMENT:
        tag = {**tag, "text": "Requires improvement"}
    return tag


def grade_tags() -> dict[str | None, Markup]:
    """Each grade's tag as HTML, made once: a table of 153 authorities shows 765 of them."""
    tags: dict[str | None, Markup] = {g.value: tag_html(short_grade_tag(g.value)) for g in Grade}
    tags[None] = Markup("Not graded")
    return tags


def direction_words(moved: str | None, previous: str | None) -> str:
    """The overall judgement's direction of travel, naming the grade it moved from (short)."""
    if moved is None:
        return "No earlier grade"
    was = (
        "Requires improvement" if previous == Grade.REQUIRES_IMPROVEMENT else grade_label(previous)
    )
    return direction({"direction": moved, "previous_grade_label": was})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def create_blueprint(services: JourneyServices, audit_point: Any) -> Blueprint:
    """Build the ``overview`` blueprint; `audit_point()` is the request's audit query."""
    bp = Blueprint("overview", __name__)
    tags = grade_tags()
    views = services.views

    def filters() -> tuple[str | None, str | None]:
        region = (request.args.get("region") or "").strip() or None
        grade = (request.args.get("grade") or "").strip() or None
        if grade is not None and grade not in GRADES:
            abort(400)
        return region, grade

    def view() -> dict[str, Any]:
        region, grade = filters()
        audit = audit_point()
        access = current_access()
        only = None if access.everything else access.covers
        found = views.overview(region, audit.as_of, audit.known_at, grade, only=only)
        if region is not None and not any(
            region_key(r["name"]) == region_key(region.replace("-", " ")) for r in found["regions"]
        ):
            abort(404)
        return found

    def region_name(found: dict[str, Any]) -> str:
        region = found["region"]
        if region is None:
            return "England"
        key = region_key(region.replace("-", " "))
        return str(
            next((r["name"] for r in found["regions"] if region_key(r["name"]) == key), region)
        )

    @bp.get("/overview")
    def page() -> str:
        """Every authority's current grades, counts per grade and their spread over the years."""
        found = view()
        where = region_name(found)
        return render_template(
            "overview/overview.html",
            view=found,
            where=where,
            chart=grade_chart(found["history"], where),
            series_labels=SERIES_LABELS,
            grades=list(Grade),
            grade_label=grade_label,
            direction_words=direction_words,
            tags=tags,
        )

    @bp.get("/overview.csv")
    def csv_download() -> Response:
        """The page's table as CSV."""
        return Response(
            as_csv(view()),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="overview.csv"'},
        )

    @bp.get("/overview.xlsx")
    def xlsx_download() -> Response:
        """The page's table, and the counts, as an XLSX workbook."""
        return Response(
            as_xlsx(view()),
            mimetype=XLSX,
            headers={"Content-Disposition": 'attachment; filename="overview.xlsx"'},
        )

    return bp
