"""Readable tables and JSON for the CLI's queries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with columns padded to fit (long cells wrap nothing: terminals do)."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def banner(view: dict[str, Any]) -> str:
    parts = [f"as of {view.get('as_of')}"]
    if view.get("known_at"):
        parts.append(f"as known at {view['known_at']}")
    return f"{view.get('authority')}: " + ", ".join(parts)


def judgements_text(view: dict[str, Any]) -> str:
    inspection = view["inspection"]
    if inspection is None:
        return banner(view) + "\nNo inspection published by then."
    head = (
        f"{banner(view)}\nInspection {inspection['ref']} ({inspection['framework_name']}, "
        f"{inspection['kind'].replace('_', ' ')}), published {inspection['published']}"
    )
    rows = []
    if view["overall"]:
        rows.append(_area_row(view["overall"]))
    elif view["has_overall_grade"] is False:
        rows.append(["Overall effectiveness", "No overall grade under this framework", "", "", ""])
    rows += [_area_row(a) for a in view["areas"]]
    return head + "\n\n" + table(["Area", "Grade", "Since", "Previous", "Direction"], rows)


def _area_row(area: dict[str, Any]) -> list[Any]:
    label = ("  " if area["parent"] else "") + area["label"]
    return [
        label,
        area["grade_label"],
        area["since"],
        area["previous_grade_label"] or "-",
        area["direction"] or "-",
    ]


def recommendations_text(view: dict[str, Any]) -> str:
    rows = []
    for rec in view["recommendations"]:
        actions = ", ".join(
            f"{a['ref']} ({a['status'] if a['status'] != 'open' else (a['rag'] or 'no update')}"
            f"{', overdue' if a['overdue'] else ''})"
            for a in rec["actions"]
        )
        rows.append(
            [
                rec["ref"],
                rec["status"],
                rec["issued"],
                rec["area"] or "-",
                actions or "none",
                _clip(rec["text"]),
            ]
        )
    return (
        banner(view)
        + f", {view['status']}\n\n"
        + table(["Recommendation", "Status", "Issued", "Area", "Actions", "Text"], rows)
    )


def actions_text(view: dict[str, Any]) -> str:
    rows = [
        [
            a["ref"],
            a["status"],
            a["rag"] or "-",
            a["due_date"],
            "overdue" if a["overdue"] else "due soon" if a["due_soon"] else "",
            f"from {a['original_due_date']}" if a["slipped"] else "",
            a["owner"],
            _clip(a["title"]),
        ]
        for a in view["actions"]
    ]
    return (
        banner(view)
        + "\n\n"
        + table(["Action", "Status", "RAG", "Due", "Timing", "Slipped", "Owner", "Title"], rows)
    )


def timeline_text(view: dict[str, Any]) -> str:
    rows = [
        [e["date"], e["kind"], _clip(e["title"], 70), _clip(e["summary"], 60)]
        for e in view["entries"]
    ]
    return banner(view) + "\n\n" + table(["Date", "Kind", "What", "Detail"], rows)


def indicators_text(view: dict[str, Any]) -> str:
    rows = []
    for ind in view["indicators"]:
        readings = "; ".join(f"{r['period_end']}: {r['value']}" for r in ind["readings"])
        rows.append([ind["ref"], ind["name"], ind["unit"], readings or "-", ind["movement"] or "-"])
        for series in ind.get("comparisons", []):
            figures = "; ".join(f"{r['period_end']}: {r['value']}" for r in series["readings"])
            rows.append(["", f"  {series['label']}", "", figures or "-", ""])
    return (
        banner(view)
        + "\n\n"
        + table(["Indicator", "Name", "Unit", "Readings", "Latest move"], rows)
    )


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def overview_text(view: dict[str, Any]) -> str:
    """The overview: counts per overall grade, then one line an authority."""
    where = view.get("region") or "England"
    when = f"as of {view['as_of']}" + (
        f", as known at {view['known_at']}" if view.get("known_at") else ""
    )
    overall = view["counts"]["overall"]
    counts = ", ".join(f"{grade.replace('_', ' ')} {n}" for grade, n in overall.items())
    lines = [
        f"{where}: {len(view['authorities'])} authorities, {when}",
        f"overall effectiveness: {counts}; not yet inspected {view['counts']['not_inspected']}",
        "",
    ]
    areas = [c["area"] for c in view["columns"][1:]]
    headers = ["authority", "region", "overall", *areas, "direction", "published"]
    rows = [
        [
            r["slug"],
            r["region"],
            r["overall"] or ("not yet inspected" if r["inspection"] is None else "none"),
            *(r["areas"].get(a) for a in areas),
            r["direction"],
            r["published"],
        ]
        for r in view["authorities"]
    ]
    return "\n".join(lines) + table(headers, rows)
