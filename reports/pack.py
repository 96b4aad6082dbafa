"""The board pack: what an improvement board or scrutiny committee is given before a meeting,
made from the query API only, for the journey in force on the meeting day as the ledger knew
it at one instant (by default the end of that day: what the board could have seen).

Nothing in a pack depends on when it is made: the same authority, meeting and instant give the
same pack, whatever was recorded since, and its cover names the instant and the ledger's
fingerprint then, so anyone can make it again and check it (`ledger verify --fingerprint`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from projections.views import JourneyViews, UnknownAuthority
from reports.charts import LineChart, line_chart

OTHER_AREA = "Other recommendations"


@dataclass(frozen=True)
class Revision:
    """A due date revised since the previous meeting."""

    action: dict[str, Any]
    date: str
    original_due_date: str
    previous_due_date: str
    new_due_date: str
    reason: str
    approver: str


@dataclass(frozen=True)
class AreaGroup:
    """The recommendations concerning one judgement area, each with its actions."""

    label: str
    recommendations: list[dict[str, Any]]


@dataclass(frozen=True)
class WrongWay:
    """An indicator whose latest reading moved the wrong way, with its chart."""

    indicator: dict[str, Any]
    chart: LineChart | None
    since_previous: bool


@dataclass(frozen=True)
class BoardPack:
    """Everything a pack shows, sections A to F and its cover."""

    authority: str
    authority_name: str
    meeting: date
    previous: date | None
    known_at: datetime
    known_at_given: bool
    zone: ZoneInfo
    fingerprint: str
    known: bool  # whether the authority was recorded by `known_at`
    judgements: dict[str, Any] | None = None
    areas: list[AreaGroup] = field(default_factory=list)
    completed: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    attention: list[dict[str, Any]] = field(default_factory=list)
    wrong_way: list[WrongWay] = field(default_factory=list)
    open_actions: int = 0

    @property
    def title(self) -> str:
        return f"Improvement board pack: {self.authority_name}, {self.meeting:%-d %B %Y}"


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of `day` in the council's time zone, in UTC."""
    return datetime.combine(day, time.max, zone).astimezone(UTC)


def board_pack(
    views: JourneyViews,
    authority: str,
    meeting: date,
    previous: date | None = None,
    known_at: datetime | None = None,
) -> BoardPack:
    """The pack for `authority`'s meeting on `meeting` (changes counted since `previous`), as
    the ledger knew it at `known_at` (default: the end of the meeting day).

    Raises `UnknownAuthority` only if the ledger holds no such authority at all; one recorded
    after the instant gives a pack that says nothing was known by then.
    """
    if previous is not None and previous >= meeting:
        raise ValueError("the previous meeting must be before this one")
    instant = (known_at or end_of_day(meeting, views.zone)).astimezone(UTC)
    base = {
        "authority": authority,
        "meeting": meeting,
        "previous": previous,
        "known_at": instant,
        "known_at_given": known_at is not None,
        "zone": views.zone,
        "fingerprint": views.fingerprint_at(instant),
    }
    try:
        record = views.authority(authority, instant)
    except UnknownAuthority:
        if authority not in {a["slug"] for a in views.authorities()}:
            raise
        # Named by its id only: its name as recorded later is not what the ledger knew then.
        return BoardPack(authority_name=authority, known=False, **base)  # type: ignore[arg-type]
    judgements = views.judgements(authority, meeting, instant)
    recommendations = views.recommendations(authority, "open", meeting, instant)
    actions = views.actions(authority, meeting, instant)
    indicators = views.indicators(authority, meeting, instant)
    after = previous.isoformat() if previous else ""
    day = meeting.isoformat()

    def since_previous(when: str) -> bool:
        return after < when <= day

    completed = [
        a
        for a in actions["actions"]
        if a["status"] == "complete" and a["closed"] and since_previous(a["closed"]["date"])
    ]
    revisions = [
        Revision(
            action=a,
            date=r["date"],
            original_due_date=a["original_due_date"],
            previous_due_date=r["previous_due_date"],
            new_due_date=r["due_date"],
            reason=r["reason"],
            approver=r["approver"],
        )
        for a in actions["actions"]
        for r in a["revisions"]
        if since_previous(r["date"])
    ]
    revisions.sort(key=lambda r: (r.date, r.action["ref"]))
    attention = [
        a
        for a in actions["actions"]
        if a["status"] == "open" and (a["overdue"] or a["rag"] == "red")
    ]
    attention.sort(key=lambda a: (-a["days_overdue"], a["ref"]))
    wrong_way = [
        WrongWay(i, line_chart(i), bool(i["latest"]) and since_previous(i["latest"]["period_end"]))
        for i in indicators["indicators"]
        if i["movement"] == "worse"
    ]
    return BoardPack(
        authority_name=str(record["name"]),
        known=True,
        judgements=judgements,
        areas=_by_area(views, judgements, recommendations["recommendations"]),
        completed=completed,
        revisions=revisions,
        attention=attention,
        wrong_way=wrong_way,
        open_actions=sum(1 for a in actions["actions"] if a["status"] == "open"),
        **base,  # type: ignore[arg-type]
    )


def _by_area(
    views: JourneyViews, judgements: dict[str, Any], recommendations: list[dict[str, Any]]
) -> list[AreaGroup]:
    """Recommendations by area, in the order (and the words) of the judgements in force; an
    area those do not grade is named by the frameworks, then come the others."""
    in_force = ([judgements["overall"]] if judgements.get("overall") else []) + list(
        judgements.get("areas", [])
    )
    labels = {a["area"]: a["label"] for a in in_force}
    order = {a["area"]: n for n, a in enumerate(in_force)}
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for rec in recommendations:
        groups.setdefault(rec["area"], []).append(rec)

    def label(area: str | None) -> str:
        if area is None:
            return OTHER_AREA
        return labels.get(area) or views.frameworks.area_label(area)

    ordered = sorted(groups, key=lambda a: (a is None, order.get(a or "", len(order)), label(a)))
    return [AreaGroup(label(area), groups[area]) for area in ordered]
