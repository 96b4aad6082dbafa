"""Keeping read models up to date: a pull loop over the event log with tracked positions.

eventsourcing's ProjectionRunner needs subscriptions, which its SQLite module lacks, so this loop
pulls new notifications instead (on PostgreSQL too, so both behave alike). Folded documents and the
new positions are committed in one transaction; if another process got there first, the batch is
folded again from where that process left off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ledger.application import JourneyLedger
from projections.projection import Document, Projection
from projections.store import DocumentKey, DocumentStore, PositionsMoved

Progress = Callable[[int], None]


def authority_of(event: Any) -> str:
    return str(event.meta.authority)


class ProjectionRunner:
    """Folds new events into every projection; rebuilds any of them from nothing."""

    def __init__(
        self,
        ledger: JourneyLedger,
        store: DocumentStore,
        projections: Sequence[Projection],
        commit_every: int = 20_000,
    ) -> None:
        self.ledger = ledger
        self.store = store
        self.projections = list(projections)
        self.commit_every = commit_every

    def lag(self) -> int:
        """How many events the slowest projection is behind the log."""
        positions = self.store.positions()
        last = self.ledger.last_position()
        return max((last - positions.get(p.name, 0) for p in self.projections), default=0)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Fold every event not yet folded; returns how many events were read."""
        total = 0
        while True:
            positions = self.store.positions()
            start = min(positions.get(p.name, 0) for p in self.projections)
            if start >= self.ledger.last_position():
                return total
            try:
                total += self._fold_and_commit(positions, start, progress)
            except PositionsMoved:
                continue

    def rebuild(self, names: Iterable[str] = (), progress: Progress | None = None) -> int:
        """Rebuild the named projections (all if none) from the first event; returns events read."""
        wanted = set(names) or {p.name for p in self.projections}
        unknown = wanted - {p.name for p in self.projections}
        if unknown:
            raise ValueError(f"no such projection: {', '.join(sorted(unknown))}")
        chosen = [p for p in self.projections if p.name in wanted]
        while True:
            expected = self.store.positions()
            docs: dict[DocumentKey, Document] = {}
            count, last = self._fold(chosen, {p.name: 0 for p in chosen}, 0, docs, None, progress)
            try:
                self.store.commit(
                    docs, {p.name: last for p in chosen}, expected, replace=[p.name for p in chosen]
                )
            except PositionsMoved:
                continue
            # Others may have advanced while we rebuilt; catch up the rest normally.
            return count + self.catch_up()

    def _fold_and_commit(
        self, positions: dict[str, int], start: int, progress: Progress | None
    ) -> int:
        docs: dict[DocumentKey, Document] = {}
        count, last = self._fold(
            self.projections, positions, start, docs, self.commit_every, progress
        )
        new_positions = {p.name: max(last, positions.get(p.name, 0)) for p in self.projections}
        self.store.commit(docs, new_positions, positions)
        return count

    def _fold(
        self,
        projections: Sequence[Projection],
        positions: dict[str, int],
        start: int,
        docs: dict[DocumentKey, Document],
        limit: int | None,
        progress: Progress | None,
    ) -> tuple[int, int]:
        count, last = 0, start
        for logged in self.ledger.read_log(after=start):
            authority = authority_of(logged.event)
            for projection in projections:
                if logged.position <= positions.get(projection.name, 0):
                    continue
                key = (projection.name, authority)
                doc = docs.get(key)
                if doc is None:
                    doc = self._load_or_empty(
                        projection, key, fresh=positions.get(projection.name, 0) == 0
                    )
                    docs[key] = doc
                projection.apply(doc, logged.event)
            count, last = count + 1, logged.position
            if progress is not None and count % 1000 == 0:
                progress(1000)
            if limit is not None and count >= limit:
                break
        if progress is not None:
            progress(count % 1000)
        return count, last

    def _load_or_empty(self, projection: Projection, key: DocumentKey, fresh: bool) -> Document:
        if not fresh:
            found = self.store.load([key]).get(key)
            if found is not None:
                return found
        return projection.empty()
