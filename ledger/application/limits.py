"""One set of limits for every way in: an import line, a web form, the command line.

The parser (`ledger.application.parsing`) applies them to every value it reads, so the web forms
(which build the same raw commands as an import line) and the CLI get exactly the same checks;
the numbers' own ranges are the domain's (`ledger.domain.quantities`).

- **References** (`id`, `authority`, `origin`, `answers`, `lifts`, a correction's `id`): 1 to 100
  characters, letters, digits, hyphens, dots and underscores, starting with a letter or digit.
- **One-line text** (names, titles, owners, sources, approvers, bodies): at most 1,000 characters,
  no line breaks.
- **Long text** (narratives, reasons, evidence, summaries, findings, notes): at most 10,000
  characters; line breaks and tabs allowed.
- **No text** holds NUL or other control characters, unpaired surrogates, Unicode noncharacters
  or the controls that reorder text right to left (U+202A to U+202E, U+2066 to U+2069).
- **Reasons, approvers, sources, evidence, narratives and who decided** say something: at least
  two letters or digits (not `x`, not `-`).
- **Dates** are from 1900-01-01; a date saying when something happened is not after today (a
  due date may be).
- **Versions** (`expected_version`) are whole numbers, not negative; whole numbers generally
  have at most 18 digits.
- **An import line** is at most 1,000,000 characters of JSON, nested at most 20 deep.
- **An "as known at" instant** is not in the future.

Messages that quote a bad value cut it to 60 characters, so a 1 MB value is never echoed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from ledger.domain.errors import InvalidCommand

MAX_REFERENCE = 100
MAX_LINE = 1_000
MAX_TEXT = 10_000
MAX_IMPORT_LINE = 1_000_000
MAX_NESTING = 20
MAX_DIGITS = 18
SHOWN = 60
EARLIEST = date(1900, 1, 1)

REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: The fields holding a reference to a record (and the path's last part names them).
REFERENCE_FIELDS = frozenset(
    {"id", "authority", "origin", "answers", "lifts", "framework", "kind", "area", "record"}
)
#: Fields whose text may run to several paragraphs.
LONG_TEXT_FIELDS = frozenset(
    {
        "text",
        "evidence",
        "reason",
        "narrative",
        "summary",
        "detail",
        "progress_statement",
        "note",
        "resolutions",
    }
)
#: Fields that must say something, not one letter or a dash.
MEANINGFUL_FIELDS = frozenset(
    {"reason", "approver", "source", "evidence", "narrative", "decided_by"}
)
#: Date fields that may lie in the future (every other date says when something happened).
FUTURE_DATE_FIELDS = frozenset({"due_date", "new_due_date"})

# Characters no text may hold: controls (but tab and line breaks), the right-to-left embedding,
# override and isolate controls (they reorder how text is shown), unpaired surrogates (which no
# encoding can store) and Unicode's noncharacters.
_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_NEVER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
_LINE_BREAKS = re.compile("[\n\r\t]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def shown(value: object) -> str:
    """A value as a message may quote it: its repr, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def field_name(path: str) -> str:
    """The field a path names: `findings[2].text` -> `text`, `answers[0]` -> `answers`."""
    return path.rsplit(".", 1)[-1].split("[", 1)[0]


def bad_character(text: str, multiline: bool) -> str | None:
    """What is wrong with a character of `text`, or None."""
    found = _NEVER.search(text)
    if found is not None:
        code = ord(found.group())
        if 0xD800 <= code <= 0xDFFF:
            return "holds a broken character (an unpaired surrogate)"
        if 0x202A <= code <= 0x2069:
            return f"holds a control character that reorders text (U+{code:04X})"
        if code < 0xA0:
            return f"holds a control character (U+{code:04X})"
        return f"holds a character that is not one (U+{code:04X})"
    if not multiline and _LINE_BREAKS.search(text):
        return "must be one line"
    return None


def unstorable(text: str) -> str | None:
    """What makes `text` impossible to store (an unpaired surrogate), or None."""
    if _SURROGATES.search(text):
        return "holds a broken character (an unpaired surrogate)"
    return None


def text_problem(path: str, text: str) -> str | None:
    """What is wrong with a (stripped, non-empty) text value at `path`, or None."""
    name = field_name(path)
    if name in REFERENCE_FIELDS:
        if len(text) > MAX_REFERENCE:
            return f"must be {MAX_REFERENCE} characters or fewer (got {len(text):,})"
        if not REFERENCE.fullmatch(text):
            return (
                f"{shown(text)} is not a reference: use letters, numbers, hyphens, dots or "
                "underscores, starting with a letter or number"
            )
        return None
    multiline = name in LONG_TEXT_FIELDS
    limit = MAX_TEXT if multiline else MAX_LINE
    if len(text) > limit:
        return f"must be {limit:,} characters or fewer (got {len(text):,})"
    problem = bad_character(text, multiline)
    if problem is not None:
        return problem
    if name in MEANINGFUL_FIELDS and sum(1 for c in text if c.isalnum()) < 2:
        return f"{shown(text)} says too little: give at least two letters or numbers"
    return None


def date_problem(path: str, day: date, today: date | None) -> str | None:
    """What is wrong with a date at `path`, or None (`today` None: no check of the future)."""
    if day < EARLIEST:
        return f"{day.isoformat()} is before {EARLIEST.year}"
    if today is not None and field_name(path) not in FUTURE_DATE_FIELDS and day > today:
        return f"{day.isoformat()} is in the future; the ledger records what happened"
    return None


def read_known_at(text: str, zone: ZoneInfo, now: datetime) -> tuple[datetime, bool]:
    """An "as known at" instant as typed (CLI `--known-at`, the web's `known_at`), in UTC, and
    whether it was a bare date.

    `2016-01-01T12:00` is `zone`'s local time unless an offset is given; a bare date means the
    end of that day, or now for today. Raises `InvalidCommand` for anything else, and for an
    instant after `now` (the ledger can say only what it knew by now).
    """
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if day > now.astimezone(zone).date():
                check_known_at(datetime.combine(day, time.min, zone), now)
            end = datetime.combine(day, time.max, zone).astimezone(UTC)
            return min(end, now.astimezone(UTC)), True
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidCommand(
            f"must be a date or a date and time such as 2016-01-01T12:00 (got {shown(text)})",
            field="known_at",
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=zone)
    check_known_at(instant, now)
    return instant.astimezone(UTC), False


def check_known_at(instant: datetime, now: datetime) -> None:
    """Raise unless an "as known at" instant has already happened (what the ledger said then)."""
    if instant > now:
        raise InvalidCommand(
            f"must not be in the future ({instant.isoformat(timespec='minutes')}): the ledger "
            "can say only what it knew by now",
            field="known_at",
        )
