"""Keeping read models up to date: a pull loop over the event log with tracked positions.

eventsourcing's ProjectionRunner needs subscriptions, which its SQLite module lacks, so this loop
pulls new notifications instead (on PostgreSQL too, so both behave alike). Folded documents and the
new positions are committed in one transaction; if another process got there first, the batch is
folded again from where that process left off.

A projection only loads and writes documents for events it handles. The documents committed last
stay in memory, valid for as long as the tracked positions are the ones committed with them: then
no other process has written since, and the next catch-up folds into them without reading them
back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence

from ledger.application.garbage_collection import cyclic_gc_paused
from ledger.application.log import PlainEvent
from ledger.application.service import JourneyLedger
from projections.projection import Document, Projection
from projections.store import DocumentKey, DocumentStore, PositionsMoved

Progress = Callable[[int], None]
# Enough for the documents one recorded event touches in every authority a web worker serves,
# without holding a whole rebuild in memory.
CACHED_DOCUMENTS = 64


def authority_of(event: PlainEvent) -> str:
    return event.authority


class ProjectionRunner:
    """Folds new events into every projection; rebuilds any of them from nothing."""

    def __init__(
        self,
        ledger: JourneyLedger,
        store: DocumentStore,
        projections: Sequence[Projection],
        commit_every: int = 20_000,
        cached_documents: int = CACHED_DOCUMENTS,
    ) -> None:
        self.ledger = ledger
        self.store = store
        self.projections = list(projections)
        self.commit_every = commit_every
        self._appended = {p.name: p.appends_to for p in self.projections if p.appends_to}
        # One fold at a time per process: folds change the cached documents in place.
        self._lock = threading.Lock()
        self._cache: OrderedDict[DocumentKey, Document] = OrderedDict()
        self._cache_limit = cached_documents
        self._cached_at: dict[str, int] | None = None
        self._formats_checked = False

    def lag(self) -> int:
        """How many events the slowest projection is behind the log."""
        positions = self.store.positions()
        last = self.ledger.last_position()
        return max((last - positions.get(p.name, 0) for p in self.projections), default=0)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Fold every event not yet folded; returns how many events were read."""
        with self._lock:
            return self._catch_up(progress)

    def rebuild(self, names: Iterable[str] = (), progress: Progress | None = None) -> int:
        """Rebuild the named projections (all if none) from the first event; returns events read."""
        wanted = set(names) or {p.name for p in self.projections}
        unknown = wanted - {p.name for p in self.projections}
        if unknown:
            raise ValueError(f"no such projection: {', '.join(sorted(unknown))}")
        with self._lock:
            return self._rebuild(wanted, progress)

    def _catch_up(self, progress: Progress | None) -> int:
        self._rebuild_older_formats()
        total = 0
        while True:
            stored = self.store.positions()
            positions = {p.name: stored.get(p.name, 0) for p in self.projections}
            if positions != self._cached_at:
                self._forget()
            start = min(positions.values())
            if start >= self.ledger.last_position():
                return total
            try:
                total += self._fold_and_commit(positions, start, progress)
            except PositionsMoved:
                self._forget()
                continue
            except BaseException:
                self._forget()  # the cached documents may hold folds that were not committed
                raise

    def _rebuild(self, wanted: set[str], progress: Progress | None) -> int:
        self._forget()
        chosen = [p for p in self.projections if p.name in wanted]
        while True:
            expected = self.store.positions()
            docs: dict[DocumentKey, Document] = {}
            try:
                with cyclic_gc_paused():
                    count, last = self._fold(
                        chosen, {p.name: 0 for p in chosen}, 0, docs, None, progress
                    )
                    self.store.commit(
                        docs,
                        {p.name: last for p in chosen},
                        expected,
                        replace=[p.name for p in chosen],
                        appended=self._appended,
                        formats={p.name: p.format for p in chosen},
                    )
            except PositionsMoved:
                continue
            # Others may have advanced while we rebuilt; catch up the rest normally.
            return count + self._catch_up(None)

    def _rebuild_older_formats(self) -> None:
        """Once per process: rebuild projections whose documents were stored in another format
        (by an older version of this code), before folding anything into them."""
        if self._formats_checked:
            return
        self._formats_checked = True
        formats, positions = self.store.formats(), self.store.positions()
        older = {
            p.name
            for p in self.projections
            if positions.get(p.name, 0) > 0 and formats.get(p.name, 1) != p.format
        }
        if older:
            self._rebuild(older, None)

    def _fold_and_commit(
        self, positions: dict[str, int], start: int, progress: Progress | None
    ) -> int:
        docs: dict[DocumentKey, Document] = {}
        with cyclic_gc_paused():
            count, last = self._fold(
                self.projections, positions, start, docs, self.commit_every, progress
            )
            new_positions = {p.name: max(last, positions.get(p.name, 0)) for p in self.projections}
            self.store.commit(
                docs,
                new_positions,
                positions,
                appended=self._appended,
                formats={p.name: p.format for p in self.projections},
            )
        self._remember(docs, new_positions)
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
        # Per event name: the projections that handle it, with the position each has folded to.
        handlers: dict[str, list[tuple[Projection, int]]] = {}
        count, last = 0, start
        for event in self.ledger.plain_events(after=start):
            interested = handlers.get(event.name)
            if interested is None:
                interested = handlers[event.name] = [
                    (p, positions.get(p.name, 0)) for p in projections if p.handles(event.name)
                ]
            for projection, folded_to in interested:
                if event.position <= folded_to:
                    continue
                key = (projection.name, event.authority)
                doc = docs.get(key)
                if doc is None:
                    doc = docs[key] = self._load_or_empty(projection, key, fresh=folded_to == 0)
                projection.apply(doc, event)
            count, last = count + 1, event.position
            if progress is not None and count % 1000 == 0:
                progress(1000)
            if limit is not None and count >= limit:
                break
        if progress is not None:
            progress(count % 1000)
        return count, last

    def _load_or_empty(self, projection: Projection, key: DocumentKey, fresh: bool) -> Document:
        if not fresh:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            # Without its appended list: folding only appends to it (see Projection.appends_to).
            found = self.store.load([key]).get(key)
            if found is not None:
                if projection.appends_to is not None:
                    found[projection.appends_to] = []
                return found
        return projection.empty()

    def _remember(self, docs: dict[DocumentKey, Document], positions: dict[str, int]) -> None:
        """Keep the documents just committed, as they now stand in the store."""
        for (name, _), doc in docs.items():
            appended = self._appended.get(name)
            if appended is not None:
                doc[appended] = []  # those entries are stored now
        if len(docs) > self._cache_limit:
            self._forget()  # a bulk catch-up: keep memory for the next one's documents
            return
        for key, doc in docs.items():
            self._cache[key] = doc
            self._cache.move_to_end(key)
        while len(self._cache) > self._cache_limit:
            self._cache.popitem(last=False)
        self._cached_at = dict(positions)

    def _forget(self) -> None:
        self._cache.clear()
        self._cached_at = None
