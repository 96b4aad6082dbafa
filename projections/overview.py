"""Every authority at once: its current grade per area, when its inspection was published and
how it moved; counts per grade; and how the overall grades were spread over the years.

Pure functions over the read models the other views use (each authority's `authorities` and
`judgements` documents), so the national and regional view says exactly what each authority's
own dashboard says.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ledger.domain.authority_names import region_key, region_slug
from ledger.domain.frameworks import Framework, FrameworkCatalogue, JudgementArea
from ledger.domain.grades import Grade
from projections.judgements import current_judgements
from projections.writes import Document

OVERALL = "overall_effectiveness"
# Ofsted's outcome statistics are "as at 31 March": the chart counts grades on that day each year.
YEAR_END = (3, 31)
HISTORY_YEARS = 12


def columns(frameworks: FrameworkCatalogue) -> list[JudgementArea]:
    """The areas the overview shows: overall effectiveness, then the newest framework's areas
    (an older framework's area shows under the column that counts it as its predecessor)."""
    by_age = sorted(frameworks.frameworks.values(), key=lambda f: f.in_use_from, reverse=True)
    if not by_age:
        return []
    overall = next(
        (a for f in by_age for a in f.areas if a.key == OVERALL),
        JudgementArea(OVERALL, "Overall effectiveness", short_label="Overall"),
    )
    newest = [a for a in by_age[0].areas if a.key != OVERALL and a.parent is None]
    return [overall, *newest]


def _column_grades(
    shown: list[JudgementArea], graded: Mapping[str, str], framework: Framework
) -> dict[str, str | None]:
    """Each column's grade: the area of its key, else the first area it counts as its
    predecessor that no earlier column took (so the 2018 framework's combined judgement shows
    under children in care, not under care leavers as well)."""
    taken: set[str] = set()
    found: dict[str, str | None] = {}
    for column in shown:
        if column.key == OVERALL and not framework.has_overall_grade:
            found[column.key] = None
            continue
        key = next(
            (k for k in (column.key, *column.compares_with) if k in graded and k not in taken),
            None,
        )
        if key is not None:
            taken.add(key)
        found[column.key] = graded[key] if key is not None else None
    return found


def exists_on(authority: Document, starts: Mapping[str, str], day: date) -> bool:
    """Whether the authority existed on `day`: not yet abolished, and not created later by a
    reorganisation (`starts`: slug -> the day a reorganisation created it)."""
    abolished = authority.get("abolished")
    if abolished is not None and abolished <= day.isoformat():
        return False
    started = starts.get(str(authority["slug"]))
    return started is None or started <= day.isoformat()


def _starts(authorities: Mapping[str, Document]) -> dict[str, str]:
    starts: dict[str, str] = {}
    for doc in authorities.values():
        for successor in doc.get("successors") or ():
            if doc.get("abolished"):
                starts[successor] = min(starts.get(successor, doc["abolished"]), doc["abolished"])
    return starts


def _predecessors(authorities: Mapping[str, Document]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for doc in authorities.values():
        for successor in doc.get("successors") or ():
            found.setdefault(successor, []).append(str(doc["name"]))
    return found


def _row(
    authority: Document,
    judgements: Document,
    frameworks: FrameworkCatalogue,
    shown: list[JudgementArea],
    as_of: date,
    predecessors: list[str],
) -> dict[str, Any]:
    view = current_judgements(judgements, frameworks, as_of)
    inspection = view["inspection"]
    region = authority.get("region")
    row: dict[str, Any] = {
        "slug": authority["slug"],
        "name": authority["name"],
        "code": authority.get("code"),
        "region": region,
        "region_slug": region_slug(region) if region else None,
        "overall": None,
        "overall_label": None,
        "areas": {c.key: None for c in shown if c.key != OVERALL},
        "published": None,
        "first_day": None,
        "framework": None,
        "inspection": None,
        "previous_overall": None,
        "direction": None,
        "predecessors": predecessors,
    }
    if inspection is None:
        return row
    framework = frameworks.get(inspection["framework"])
    graded = {a["area"]: a["grade"] for a in view["areas"]}
    if view["overall"] is not None:
        graded[OVERALL] = view["overall"]["grade"]
    grades = _column_grades(shown, graded, framework)
    overall = view["overall"]
    row.update(
        {
            "overall": grades.pop(OVERALL, None),
            "areas": grades,
            "published": inspection["published"],
            "first_day": inspection["first_day"],
            "framework": inspection["framework"],
            "inspection": inspection["ref"],
            "previous_overall": overall["previous_grade"] if overall else None,
            "direction": overall["direction"] if overall else None,
        }
    )
    row["overall_label"] = Grade(row["overall"]).label if row["overall"] else None
    return row


def _counts(rows: list[dict[str, Any]], shown: list[JudgementArea]) -> dict[str, Any]:
    def tally(values: Iterable[str | None]) -> dict[str, int]:
        counted = Counter(values)
        return {g.value: counted[g.value] for g in Grade}

    return {
        "overall": tally(r["overall"] for r in rows),
        "not_inspected": sum(1 for r in rows if r["inspection"] is None),
        "no_overall_grade": sum(1 for r in rows if r["inspection"] and r["overall"] is None),
        "areas": {
            c.key: tally(r["areas"].get(c.key) for r in rows) for c in shown if c.key != OVERALL
        },
    }


def overall_on(judgements: Document, frameworks: FrameworkCatalogue, day: date) -> str | None:
    """The overall grade in force on `day` (None: not inspected, or none under its framework)."""
    return _overall_series(judgements, frameworks).on(day)


class _OverallSeries:
    """An authority's overall grade from each publication on, for finding it on many days."""

    def __init__(self, published: list[str], grades: list[str | None]) -> None:
        self.published = published
        self.grades = grades

    def on(self, day: date) -> str | None:
        index = bisect_right(self.published, day.isoformat())
        return self.grades[index - 1] if index else None


def _overall_series(judgements: Document, frameworks: FrameworkCatalogue) -> _OverallSeries:
    ordered = sorted(judgements["inspections"].values(), key=lambda i: (i["published"], i["ref"]))
    return _OverallSeries(
        [i["published"] for i in ordered],
        [
            str(i["grades"].get(OVERALL))
            if frameworks.get(i["framework"]).has_overall_grade and i["grades"].get(OVERALL)
            else None
            for i in ordered
        ],
    )


def history(
    authorities: Mapping[str, Document],
    judgements: Mapping[str, Document],
    frameworks: FrameworkCatalogue,
    as_of: date,
    region: str | None = None,
) -> list[dict[str, Any]]:
    """How many authorities had each overall grade on 31 March of each year up to `as_of` (and on
    `as_of` itself), from the first year any grade was in force."""
    starts = _starts(authorities)
    earliest = min(
        (i["published"] for doc in judgements.values() for i in doc["inspections"].values()),
        default=None,
    )
    if earliest is None:
        return []
    first_year = max(date.fromisoformat(earliest).year, as_of.year - HISTORY_YEARS)
    days = [d for year in range(first_year, as_of.year + 1) if (d := date(year, *YEAR_END)) < as_of]
    days.append(as_of)
    series = {
        slug: _overall_series(judgements.get(slug) or {"inspections": {}}, frameworks)
        for slug, authority in authorities.items()
        if _in_region(authority, region)
    }
    points: list[dict[str, Any]] = []
    for day in days:
        counts = dict.fromkeys((g.value for g in Grade), 0)
        not_known = 0
        for slug, grades in series.items():
            if not exists_on(authorities[slug], starts, day):
                continue
            grade = grades.on(day)
            if grade is None:
                not_known += 1
            else:
                counts[grade] += 1
        points.append({"date": day.isoformat(), "overall": counts, "not_known": not_known})
    # Years before most authorities' grades are known (older frameworks' outcomes not imported)
    # would chart little but what is missing: start where at least half are known.
    while len(points) > 1 and sum(points[0]["overall"].values()) < points[0]["not_known"]:
        points.pop(0)
    return points


def _in_region(authority: Document, region: str | None) -> bool:
    if region is None:
        return True
    held = authority.get("region")
    return held is not None and region_key(str(held)) == region_key(region.replace("-", " "))


def overview(
    authorities: Mapping[str, Document],
    judgements: Mapping[str, Document],
    frameworks: FrameworkCatalogue,
    as_of: date,
    region: str | None = None,
    grade: str | None = None,
) -> dict[str, Any]:
    """One row per authority that existed on `as_of` (in `region`, if given: its name or slug),
    counts per grade of each area over those rows, then the rows with overall `grade` (if given),
    and the spread of overall grades over the years."""
    shown = columns(frameworks)
    starts = _starts(authorities)
    predecessors = _predecessors(authorities)
    rows = [
        _row(
            authority,
            judgements.get(slug) or {"inspections": {}},
            frameworks,
            shown,
            as_of,
            predecessors.get(slug, []),
        )
        for slug, authority in authorities.items()
        if exists_on(authority, starts, as_of) and _in_region(authority, region)
    ]
    rows.sort(key=lambda r: (str(r["name"]).lower(), r["slug"]))
    regions = sorted(
        {
            str(a["region"])
            for a in authorities.values()
            if a.get("region") and exists_on(a, starts, as_of)
        },
        key=str.lower,
    )
    return {
        "as_of": as_of.isoformat(),
        "region": region,
        "grade": grade,
        "regions": [{"name": r, "slug": region_slug(r)} for r in regions],
        "columns": [{"area": c.key, "label": c.label, "heading": c.heading} for c in shown],
        "counts": _counts(rows, shown),
        "authorities": [r for r in rows if grade is None or r["overall"] == grade],
        "history": history(authorities, judgements, frameworks, as_of, region),
    }
