"""Events as read models see them: plain JSON values, decoded straight from the stored bytes.

Folds only copy values into JSON documents, so they need no domain objects: a date is its ISO
day, money and readings their exact decimal strings, an enum its value. Decoding the stored JSON
with each transcoding's mark (`{"_type_": name, "_data_": data}`) replaced by its data gives exactly
those, at a fraction of the cost of building the domain event and converting it back. The ledger's
own `read_log` still returns real domain events; this is for projections only.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from json.scanner import make_scanner
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from ledger.domain.errors import LedgerIntegrityError
from ledger.evidence.chain import StoredFields
from ledger.persistence.topics import check_topic

# Attributes of every aggregate event that are not its own data.
_ENVELOPE = ("originator_id", "originator_version", "timestamp", "meta")
# Enough ids for a rebuild of a large ledger; past that the cache starts afresh.
_ID_CACHE_SIZE = 100_000


class PlainEvent:
    """One recorded event: where it is in the log, what it is, and its data as JSON values."""

    __slots__ = ("authority", "data", "meta", "name", "originator_id", "position", "recorded_at")

    def __init__(
        self,
        position: int,
        name: str,
        originator_id: str,
        recorded_at: str,
        meta: dict[str, Any],
        data: dict[str, Any],
    ) -> None:
        self.position = position
        #: The event class's name, e.g. `ActionProgressUpdated`.
        self.name = name
        #: The record's id, lower-case and hyphenated.
        self.originator_id = originator_id
        #: When it was recorded (transaction time): the event's timestamp as stored, ISO 8601.
        self.recorded_at = recorded_at
        #: authority, effective_date (ISO day), source, recorded_by, command_id.
        self.meta = meta
        #: The authority whose journey it belongs to (its documents are the ones it changes).
        self.authority: str = meta["authority"]
        #: The event's own fields (a created event's `originator_topic` too), in stored order.
        #: Every fold of this event shares it: copy what you keep, change nothing.
        self.data = data


def plain_value(value: Any) -> Any:
    """A domain value as the plain JSON value it is stored as."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):  # EventMeta
        return {k: plain_value(v) for k, v in vars(value).items()}
    return value


class PlainDecoder:
    """Decodes stored events into `PlainEvent`s, with the ledger's cipher and compressor."""

    def __init__(self, mapper: Mapper[Any], decode: Callable[[StoredEvent], Any]) -> None:
        self._decode = decode
        self._cipher = mapper.cipher
        self._compressor = mapper.compressor
        transcoder = mapper.transcoder
        names = transcoder.names if isinstance(transcoder, JSONTranscoder) else {}
        # The decoder's C scanner, called directly: stored JSON has no surrounding whitespace
        # for `JSONDecoder.decode` to skip, which costs it two regex matches an event.
        self._marks = frozenset(names)
        decoder: Any = json.JSONDecoder(object_hook=_unmarker(self._marks))
        self._scan: Callable[[str, int], tuple[Any, int]] = make_scanner(decoder)
        # topic -> event name; None where the class upcasts older versions (decoded in full).
        self._names: dict[str, str | None] = {}
        self._ids: dict[UUID | str, str] = {}

    def decode(self, row: StoredFields) -> PlainEvent:
        position, originator_id, _, topic, state = row
        name = self._name(topic)
        if name is None:
            return self._via_domain_event(row)
        try:
            if self._cipher is not None:
                state = self._cipher.decrypt(state)
            if self._compressor is not None:
                state = self._compressor.decompress(state)
            data = self._parsed(state)
        except StopIteration:
            raise LedgerIntegrityError(unreadable_message(ValueError("not JSON"))) from None
        except (ValueError, TypeError, zlib.error) as error:  # a wrong key, or altered bytes
            raise LedgerIntegrityError(unreadable_message(error)) from None
        recorded_at = data.pop("timestamp")
        meta = data.pop("meta")
        return PlainEvent(position, name, self._id(originator_id), recorded_at, meta, data)

    def _parsed(self, state: bytes) -> dict[str, Any]:
        """The stored JSON object with each transcoding's mark replaced by its plain value.

        orjson parses it (several times faster than the json module, whose object hook is a
        Python call per object); the few marks are then replaced in place. JSON that orjson
        does not take (an integer wider than 64 bits) goes the json module's way.
        """
        try:
            data = orjson.loads(state)
        except orjson.JSONDecodeError:
            text = state.decode("utf8")
            data, end = self._scan(text, 0)
            if end != len(text):
                raise ValueError("the stored state is not one JSON object") from None
        else:
            if type(data) is dict:
                _unmark_dict(data, self._marks)
        if type(data) is not dict:
            raise ValueError("the stored state is not one JSON object")
        return data

    def _name(self, topic: str) -> str | None:
        try:
            return self._names[topic]
        except KeyError:
            cls = check_topic(topic)  # only the ledger's own: no module a row names is imported
            name = None if getattr(cls, "class_version", 1) > 1 else cls.__name__
            self._names[topic] = name
            return name

    def _id(self, originator_id: UUID | str) -> str:
        found = self._ids.get(originator_id)
        if found is None:
            found = str(originator_id if isinstance(originator_id, UUID) else UUID(originator_id))
            if len(self._ids) >= _ID_CACHE_SIZE:
                self._ids.clear()
            self._ids[originator_id] = found
        return found

    def _via_domain_event(self, row: StoredFields) -> PlainEvent:
        """The slow, exact way, for events whose class upcasts older stored versions."""
        position, originator_id, originator_version, topic, state = row
        event = self._decode(StoredEvent(originator_id, originator_version, topic, state))
        return PlainEvent(
            position,
            type(event).__name__,
            str(event.originator_id),
            event.timestamp.isoformat(),
            plain_value(event.meta),
            {k: plain_value(v) for k, v in vars(event).items() if k not in _ENVELOPE},
        )


def _unmark_dict(container: dict[str, Any], names: frozenset[str]) -> None:
    """Replace, in place, every transcoding's mark inside `container` by its plain value."""
    for key, value in container.items():
        kind = type(value)
        if kind is dict:
            if "_type_" in value and "_data_" in value and len(value) == 2:
                container[key] = _unmarked_data(value, names)
            else:
                _unmark_dict(value, names)
        elif kind is list and value:
            _unmark_list(value, names)


def _unmark_list(container: list[Any], names: frozenset[str]) -> None:
    for index, value in enumerate(container):
        kind = type(value)
        if kind is dict:
            if "_type_" in value and "_data_" in value and len(value) == 2:
                container[index] = _unmarked_data(value, names)
            else:
                _unmark_dict(value, names)
        elif kind is list and value:
            _unmark_list(value, names)


def _unmarked_data(mark: dict[str, Any], names: frozenset[str]) -> Any:
    kind, data = mark["_type_"], mark["_data_"]
    if kind not in names:
        raise ValueError(f"no transcoding named {kind!r}")
    if kind == "uuid_hex":
        return str(UUID(data))
    if type(data) is dict:
        _unmark_dict(data, names)  # e.g. event metadata: its date is marked inside it
    elif type(data) is list:
        _unmark_list(data, names)
    return data


def _unmarker(names: frozenset[str]) -> Callable[[dict[str, Any]], Any]:
    """A JSON object hook that replaces each transcoding's mark by its data: for every ledger
    transcoding that data is already the plain value, but for a UUID's hex (made hyphenated)."""

    def unmarked(obj: dict[str, Any]) -> Any:
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            kind, data = obj["_type_"], obj["_data_"]
            if kind not in names:
                raise ValueError(f"no transcoding named {kind!r}")
            return str(UUID(data)) if kind == "uuid_hex" else data
        return obj

    return unmarked


def unreadable_message(error: Exception) -> str:
    """What to tell a user when stored events cannot be decoded (wrong key, or altered data)."""
    return (
        "cannot read the ledger's events: the encryption key (LEDGER_CIPHER_KEY) is wrong or "
        f"missing, or the stored data was altered ({type(error.__cause__ or error).__name__})"
    )
