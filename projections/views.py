"""The questions users ask, answered from the read models' rows: "as of" a day (valid time) and
"as known at" an instant (transaction time), together or apart.

Each query reads one authority's rows of the read models it needs, as known at the instant asked
about (every row recorded by then and not yet replaced by then), and puts them back together into
the documents the view functions below read: its cost grows with that authority's history and the
answer, not with the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.domain.deadlines import DeadlineRule, WorkingCalendar
from ledger.domain.errors import LedgerError
from ledger.domain.frameworks import FrameworkCatalogue
from projections import (
    actions,
    deadlines,
    indicators,
    judgements,
    overview,
    people,
    recommendations,
    reminders,
    timeline,
)
from projections.action_page import action_page
from projections.actions import ACTIONS
from projections.authorities import AUTHORITIES
from projections.indicators import INDICATORS
from projections.judgements import JUDGEMENTS
from projections.people import PEOPLE
from projections.read_model import ReadModel
from projections.recommendations import RECOMMENDATIONS
from projections.reminders import REMINDERS, Slot
from projections.rows import Row, RowFilter, instant_us
from projections.timeline import TIMELINE
from projections.writes import Document, Projection

ALL_PROJECTIONS: Sequence[Projection] = (
    AUTHORITIES,
    JUDGEMENTS,
    RECOMMENDATIONS,
    ACTIONS,
    TIMELINE,
    INDICATORS,
    PEOPLE,
    REMINDERS,
)


class UnknownAuthority(LedgerError):
    """No authority with that slug is recorded (as known at the instant asked about)."""


class JourneyViews:
    """Read-side queries. Each takes an authority, `as_of` (default today) and `known_at`."""

    def __init__(
        self,
        read_model: ReadModel,
        frameworks: FrameworkCatalogue,
        today: Callable[[], date],
        zone: ZoneInfo,
        deadline_rules: Sequence[DeadlineRule] = (),
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.read_model = read_model
        #: The statutory clocks (config/deadlines.toml) and the working days they count.
        self.deadline_rules = tuple(deadline_rules)
        self.calendar = calendar or WorkingCalendar()
        self.frameworks = frameworks
        self.today = today
        #: The council's time zone: "today", "this week" and instants shown to people.
        self.zone = zone

    def catch_up(self) -> None:
        """Bring the read models up to date with the log, if they are behind (a store written
        by an older version; recording keeps them current)."""
        self.read_model.catch_up()

    def _docs(
        self, authority: str, names: Iterable[str], known_at: datetime | None
    ) -> dict[str, Document]:
        self.catch_up()
        wanted = ["authorities", *names]
        at = None if known_at is None else instant_us(known_at)
        docs = self.read_model.documents(authority, wanted, at)
        if not docs["authorities"]:
            when = f" as known at {known_at.isoformat()}" if known_at else ""
            raise UnknownAuthority(f"no authority {authority!r} is recorded{when}")
        return docs

    def _timeline(
        self,
        authority: str,
        known_at: datetime | None,
        kinds: Sequence[str],
        valid_until: date,
    ) -> Document:
        """The authority's timeline entries of `kinds` (all if none) dated by `valid_until`."""
        self._docs(authority, [], known_at)
        at = None if known_at is None else instant_us(known_at)
        chosen = RowFilter(
            authority, [TIMELINE.name], at, tags=kinds, valid_until=valid_until.isoformat()
        )
        return TIMELINE.assemble(self.read_model.rows(chosen))

    def authorities(self, known_at: datetime | None = None) -> list[dict[str, Any]]:
        self.catch_up()
        at = None if known_at is None else instant_us(known_at)
        found = self.read_model.rows(RowFilter(None, [AUTHORITIES.name], at))
        docs = [AUTHORITIES.assemble([row]) for row in found]
        return sorted(docs, key=lambda d: str(d["slug"]))

    def authority(self, authority: str, known_at: datetime | None = None) -> dict[str, Any]:
        return self._docs(authority, [], known_at)["authorities"]

    def judgements(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["judgements"], known_at)
        day = as_of or self.today()
        view = judgements.current_judgements(docs["judgements"], self.frameworks, day)
        return {"authority": authority, "known_at": _iso(known_at), **view}

    def _action_summaries(self, authority: str, day: date, known_at: datetime | None) -> Document:
        """The actions document with each action's latest update by `day` only (not every
        update): what the dashboard and the tracker need, read in one query whose cost grows
        with the number of actions, not of updates."""
        at = None if known_at is None else instant_us(known_at)
        latest = RowFilter(
            authority, [ACTIONS.name], at, kinds=["update"], valid_until=day.isoformat()
        )
        others = RowFilter(authority, [ACTIONS.name], at, kinds=["action", "due", "closed"])
        return ACTIONS.assemble(self.read_model.rows_with_latest(latest, others))

    def action_summaries(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """The action tracker as `actions` answers it, without each action's `updates` (its
        `latest_update` is there): for pages that show where each action stands."""
        self._docs(authority, [], known_at)
        day = as_of or self.today()
        view = actions.tracker(self._action_summaries(authority, day, known_at), day)
        for status in view["actions"]:
            del status["updates"]
        return {"authority": authority, "known_at": _iso(known_at), **view}

    def recommendations(
        self,
        authority: str,
        status: str = "open",
        as_of: date | None = None,
        known_at: datetime | None = None,
        *,
        summary: bool = False,
    ) -> dict[str, Any]:
        """Recommendations with the actions answering them; with `summary`, each action without
        its `updates` (as `action_summaries` gives them)."""
        day = as_of or self.today()
        if summary:
            docs = self._docs(authority, ["recommendations", "people"], known_at)
            docs["actions"] = self._action_summaries(authority, day, known_at)
        else:
            docs = self._docs(authority, ["recommendations", "actions", "people"], known_at)
        items = recommendations.recommendations(
            docs["recommendations"], docs["actions"], day, status
        )
        for item in items:
            people.annotate(item["actions"], docs["people"], day)
            if summary:
                for action in item["actions"]:
                    action.pop("updates", None)
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "status": status,
            "recommendations": items,
        }

    def recommendation(
        self, authority: str, ref: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any] | None:
        docs = self._docs(authority, ["recommendations", "actions", "people"], known_at)
        rec = docs["recommendations"]["recommendations"].get(ref)
        if rec is None:
            return None
        day = as_of or self.today()
        view = recommendations.recommendation_view(rec, docs["actions"], day)
        if view is not None:
            people.annotate(view["actions"], docs["people"], day)
        return view

    def actions(
        self,
        authority: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
        overdue_only: bool = False,
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["actions", "people"], known_at)
        day = as_of or self.today()
        view = actions.tracker(docs["actions"], day)
        people.annotate(view["actions"], docs["people"], day)
        if overdue_only:
            view["actions"] = [a for a in view["actions"] if a["overdue"]]
        return {"authority": authority, "known_at": _iso(known_at), **view}

    def timeline(
        self,
        authority: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] = (),
    ) -> dict[str, Any]:
        day = as_of or self.today()
        last = min(day, end) if end else day
        chosen = list(kinds)
        doc = self._timeline(authority, known_at, chosen, last)
        items = timeline.entries(doc, day, start, end, chosen)
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "from": _iso(start),
            "to": _iso(end),
            "kinds": sorted(chosen),
            "entries": items,
        }

    def latest(
        self, authority: str, kind: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any] | None:
        day = as_of or self.today()
        return timeline.latest(self._timeline(authority, known_at, [kind], day), kind, day)

    def overview(
        self,
        region: str | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
        grade: str | None = None,
        only: Callable[[str, str | None], bool] | None = None,
    ) -> dict[str, Any]:
        """Every authority (in `region`, if given; for which `only(slug, region)` holds, if
        given) with its current grade per area, counts per grade, and the spread of overall
        grades over the years (see `projections.overview`)."""
        self.catch_up()
        at = None if known_at is None else instant_us(known_at)
        grouped: dict[tuple[str, str], list[Row]] = {}
        for row in self.read_model.rows(RowFilter(None, [AUTHORITIES.name, JUDGEMENTS.name], at)):
            grouped.setdefault((row.projection, row.authority), []).append(row)
        by_name: dict[str, dict[str, Document]] = {AUTHORITIES.name: {}, JUDGEMENTS.name: {}}
        for (name, slug), rows in grouped.items():
            by_name[name][slug] = self.read_model.projections[name].assemble(rows)
        authorities = {
            slug: doc
            for slug, doc in by_name["authorities"].items()
            if doc and (only is None or only(slug, doc.get("region")))
        }
        view = overview.overview(
            authorities,
            by_name["judgements"],
            self.frameworks,
            as_of or self.today(),
            region,
            grade,
        )
        return {"known_at": _iso(known_at), **view}

    def indicators(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["indicators"], known_at)
        day = as_of or self.today()
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "indicators": indicators.series(docs["indicators"], day),
        }

    def fingerprint_at(self, known_at: datetime) -> str:
        """The ledger's fingerprint at `known_at` (`COUNT:HEX`): what `ledger fingerprint`
        printed then, which `ledger verify --fingerprint` checks the history still passes."""
        return str(self.read_model.ledger.fingerprint_at(known_at))

    # -- people, an action's page, reminders and statutory clocks ---------------------------

    def people(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """The authority's people (those who left last), each with how many open actions are
        assigned to them."""
        docs = self._docs(authority, ["people", "actions"], known_at)
        day = as_of or self.today()
        tracker = actions.tracker(docs["actions"], day)["actions"]
        people.annotate(tracker, docs["people"], day)
        listed = people.people(docs["people"], day)
        names = {p["ref"]: p["name"] for p in listed}
        for person in listed:
            person["manager_name"] = names.get(person["manager"] or "")
            person["open_actions"] = sum(
                1
                for a in tracker
                if a["status"] == "open" and a["person"] and a["person"]["ref"] == person["ref"]
            )
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "people": listed,
        }

    def person(
        self,
        authority: str,
        ref: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> dict[str, Any] | None:
        """One person: details, manager, who reports to them, the actions assigned to them and
        every reminder sent (or tried) to them; None if they were not added by `as_of`."""
        docs = self._docs(authority, ["people", "actions", "reminders"], known_at)
        day = as_of or self.today()
        stored = docs["people"]["people"].get(ref)
        found = people.person_as_of(stored, day) if stored else None
        if found is None:
            return None
        everyone = people.people(docs["people"], day)
        names = {p["ref"]: p["name"] for p in everyone}
        tracker = actions.tracker(docs["actions"], day)["actions"]
        people.annotate(tracker, docs["people"], day)
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            **found,
            "manager_name": names.get(found["manager"] or ""),
            "reports": [
                {"ref": p["ref"], "name": p["name"]}
                for p in everyone
                if p["manager"] == ref and p["active"]
            ],
            "actions": [a for a in tracker if a["person"] and a["person"]["ref"] == ref],
            "reminders": reminders.to_person(docs["reminders"], ref),
        }

    def action(
        self,
        authority: str,
        ref: str,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> dict[str, Any] | None:
        """One action's page: as the tracker shows it, with its owner, the recommendations it
        answers and its whole history, reminders and escalations included."""
        names = ["actions", "people", "reminders", "recommendations", "timeline"]
        docs = self._docs(authority, names, known_at)
        day = as_of or self.today()
        found = action_page(docs, ref, day)
        if found is None:
            return None
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            **found,
        }

    def deadlines(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        """The statutory deadlines the authority's inspections and visits set (see
        `projections.deadlines`), soonest first."""
        docs = self._docs(authority, ["timeline"], known_at)
        day = as_of or self.today()
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "deadlines": deadlines.deadlines(
                docs["timeline"], self.deadline_rules, self.calendar, day
            ),
        }

    def told(self, authority: str) -> set[Slot]:
        """Every (action, slot, person) a reminder sent so far has told (for the sender)."""
        return reminders.told(self._docs(authority, ["reminders"], None)["reminders"])

    def my_actions(
        self,
        account: str,
        as_of: date | None = None,
        only: Callable[[str, str | None], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """For the web account `account`: each person it signs in as (in every authority
        for which `only(slug, region)` holds), with the actions assigned to them."""
        self.catch_up()
        day = as_of or self.today()
        names = [AUTHORITIES.name, PEOPLE.name]
        grouped: dict[str, dict[str, list[Row]]] = {}
        # Each authority's people without the assignments, to find the account's people in.
        everyone = RowFilter(None, names, None, kinds=["authority", "person", "update", "left"])
        for r in self.read_model.rows(everyone):
            grouped.setdefault(r.authority, {}).setdefault(r.projection, []).append(r)
        found = []
        for slug in sorted(grouped):
            rows = grouped[slug]
            if AUTHORITIES.name not in rows or PEOPLE.name not in rows:
                continue
            authority = AUTHORITIES.assemble(rows[AUTHORITIES.name])
            if only is not None and not only(slug, authority.get("region")):
                continue
            mine = [
                p
                for p in people.people(PEOPLE.assemble(rows[PEOPLE.name]), day)
                if p["account"] == account.lower() and p["active"]
            ]
            if not mine:
                continue
            people_doc = self._docs(slug, [PEOPLE.name], None)[PEOPLE.name]
            tracker = actions.tracker(self._action_summaries(slug, day, None), day)
            people.annotate(tracker["actions"], people_doc, day)
            for person in mine:
                found.append(
                    {
                        "authority": slug,
                        "authority_name": authority["name"],
                        "person": people.named(person),
                        "actions": [
                            a
                            for a in tracker["actions"]
                            if a["person"] and a["person"]["ref"] == person["ref"]
                        ],
                    }
                )
        return found


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
