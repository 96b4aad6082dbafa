"""The questions users ask, answered from the read models: "as of" a day (valid time) from the
stored documents, and "as known at" an instant (transaction time) by folding the log up to then.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.application.service import JourneyLedger
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
from projections.projection import Document, Projection
from projections.recommendations import RECOMMENDATIONS
from projections.reminders import REMINDERS, Slot
from projections.runner import ProjectionRunner, authority_of
from projections.store import DocumentStore
from projections.timeline import TIMELINE

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
# Queries need the lists projections append to, which the store keeps as rows.
APPENDED = {p.name: p.appends_to for p in ALL_PROJECTIONS if p.appends_to}


REPLAY_CACHE_SIZE = 8


class UnknownAuthority(LedgerError):
    """No authority with that slug is recorded (as known at the instant asked about)."""


def replay(
    ledger: JourneyLedger,
    projections: Sequence[Projection],
    authority: str | None,
    known_at: datetime,
) -> dict[tuple[str, str], Document]:
    """Fold only the events recorded at or before `known_at`: what the ledger said then."""
    docs: dict[tuple[str, str], Document] = {}
    for event in ledger.plain_events():
        if datetime.fromisoformat(event.recorded_at) > known_at:
            continue
        owner = authority_of(event)
        if authority is not None and owner != authority:
            continue
        for projection in projections:
            key = (projection.name, owner)
            if key not in docs:
                docs[key] = projection.empty()
            if projection.handles(event.name):
                projection.apply(docs[key], event)
    return docs


class JourneyViews:
    """Read-side queries. Each takes an authority, `as_of` (default today) and `known_at`."""

    def __init__(
        self,
        ledger: JourneyLedger,
        store: DocumentStore,
        runner: ProjectionRunner,
        frameworks: FrameworkCatalogue,
        today: Callable[[], date],
        zone: ZoneInfo,
        deadline_rules: Sequence[DeadlineRule] = (),
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.ledger = ledger
        #: The statutory clocks (config/deadlines.toml) and the working days they count.
        self.deadline_rules = tuple(deadline_rules)
        self.calendar = calendar or WorkingCalendar()
        self.store = store
        self.runner = runner
        self.frameworks = frameworks
        self.today = today
        #: The council's time zone: "today", "this week" and instants shown to people.
        self.zone = zone
        # A page in audit mode asks several views about the same instant: fold the log once.
        self._replays: OrderedDict[tuple[str, datetime, int], dict[str, Document]] = OrderedDict()
        self._replays_lock = threading.Lock()

    def _replayed(self, authority: str, known_at: datetime) -> dict[str, Document]:
        """Every read model of `authority` as known at `known_at`, from a small cache.

        The key includes the log's length, so a cached answer is never stale: what was recorded
        by `known_at` can only change if the log grew (e.g. an event recorded with an earlier
        clock by another writer).
        """
        key = (authority, known_at, self.ledger.last_position())
        with self._replays_lock:
            cached = self._replays.get(key)
            if cached is not None:
                self._replays.move_to_end(key)
        if cached is None:
            replayed = replay(self.ledger, ALL_PROJECTIONS, authority, known_at)
            cached = {name: doc for (name, _), doc in replayed.items()}
            with self._replays_lock:
                self._replays[key] = cached
                while len(self._replays) > REPLAY_CACHE_SIZE:
                    self._replays.popitem(last=False)
        # Views hand parts of these documents to callers: each gets its own copy, so nothing a
        # caller does to an answer can change the cached history.
        return copy.deepcopy(cached)

    def _docs(
        self, authority: str, names: Iterable[str], known_at: datetime | None
    ) -> dict[str, Document]:
        wanted = ["authorities", *names]
        by_name = {p.name: p for p in ALL_PROJECTIONS}
        if known_at is not None:
            found = self._replayed(authority, known_at)
        else:
            self.runner.catch_up()
            loaded = self.store.load([(name, authority) for name in wanted], APPENDED)
            found = {name: doc for (name, _), doc in loaded.items()}
        if "authorities" not in found:
            when = f" as known at {known_at.isoformat()}" if known_at else ""
            raise UnknownAuthority(f"no authority {authority!r} is recorded{when}")
        return {name: found.get(name) or by_name[name].empty() for name in wanted}

    def catch_up(self) -> None:
        """Bring the read models up to date with the log (queries do this themselves)."""
        self.runner.catch_up()

    def authorities(self, known_at: datetime | None = None) -> list[dict[str, Any]]:
        if known_at is not None:
            docs = replay(self.ledger, [AUTHORITIES], None, known_at)
            return sorted(docs.values(), key=lambda d: d["slug"])
        self.runner.catch_up()
        slugs = self.store.authorities()
        loaded = self.store.load([("authorities", s) for s in slugs])
        return [loaded[("authorities", s)] for s in slugs if ("authorities", s) in loaded]

    def authority(self, authority: str, known_at: datetime | None = None) -> dict[str, Any]:
        return self._docs(authority, [], known_at)["authorities"]

    def judgements(
        self, authority: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["judgements"], known_at)
        day = as_of or self.today()
        view = judgements.current_judgements(docs["judgements"], self.frameworks, day)
        return {"authority": authority, "known_at": _iso(known_at), **view}

    def recommendations(
        self,
        authority: str,
        status: str = "open",
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> dict[str, Any]:
        docs = self._docs(authority, ["recommendations", "actions", "people"], known_at)
        day = as_of or self.today()
        items = recommendations.recommendations(
            docs["recommendations"], docs["actions"], day, status
        )
        for item in items:
            people.annotate(item["actions"], docs["people"], day)
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
        docs = self._docs(authority, ["timeline"], known_at)
        day = as_of or self.today()
        items = timeline.entries(docs["timeline"], day, start, end, kinds)
        return {
            "authority": authority,
            "as_of": day.isoformat(),
            "known_at": _iso(known_at),
            "from": _iso(start),
            "to": _iso(end),
            "kinds": sorted(kinds),
            "entries": items,
        }

    def latest(
        self, authority: str, kind: str, as_of: date | None = None, known_at: datetime | None = None
    ) -> dict[str, Any] | None:
        docs = self._docs(authority, ["timeline"], known_at)
        return timeline.latest(docs["timeline"], kind, as_of or self.today())

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
        names = ("authorities", "judgements")
        if known_at is not None:
            replayed = replay(self.ledger, [AUTHORITIES, JUDGEMENTS], None, known_at)
        else:
            self.runner.catch_up()
            slugs = self.store.authorities()
            replayed = self.store.load([(name, slug) for slug in slugs for name in names])
        by_name: dict[str, dict[str, Document]] = {name: {} for name in names}
        for (name, slug), doc in replayed.items():
            by_name[name][slug] = doc
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
        return str(self.ledger.fingerprint_at(known_at))

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
        self.runner.catch_up()
        day = as_of or self.today()
        found = []
        for slug in self.store.authorities():
            loaded = self.store.load([(n, slug) for n in ("authorities", "people", "actions")])
            authority = loaded.get(("authorities", slug))
            people_doc = loaded.get(("people", slug))
            if authority is None or people_doc is None:
                continue
            if only is not None and not only(slug, authority.get("region")):
                continue
            mine = [
                p
                for p in people.people(people_doc, day)
                if p["account"] == account.lower() and p["active"]
            ]
            if not mine:
                continue
            tracker = actions.tracker(loaded.get(("actions", slug)) or ACTIONS.empty(), day)
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
