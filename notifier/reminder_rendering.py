"""A reminder message worded once and rendered as plain text, HTML and GOV.UK Notify
personalisation: the person's own actions, then the overdue actions escalated to them, each with
a link to its page, then the authority's statutory deadlines coming up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from jinja2 import Environment

from notifier.periods import long_date
from notifier.reminder_plan import Item, Message

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


@dataclass(frozen=True)
class Line:
    """One action in a message: what it is, why it is told, and where to open it."""

    ref: str
    title: str
    reasons: tuple[str, ...]
    due: str
    rating: str
    url: str | None

    @property
    def reason(self) -> str:
        """The reasons as one sentence, e.g. `Due in 3 days; no update recorded for 7 weeks`."""
        text = "; ".join(self.reasons)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class DeadlineLine:
    title: str
    due: str
    left: str


@dataclass(frozen=True)
class ReminderLayout:
    subject: str
    greeting: str
    intro: str
    own: tuple[Line, ...]
    escalated: tuple[Line, ...]
    deadlines: tuple[DeadlineLine, ...]
    footer: str


@dataclass(frozen=True)
class RenderedReminder:
    """A message ready for any transport."""

    subject: str
    text: str
    html: str
    personalisation: Mapping[str, str]


def action_url(base_url: str | None, path: str, authority: str, action: str) -> str | None:
    """The action's page in the web app, or None without a base address."""
    if not base_url:
        return None
    formatted = path.format(authority=quote(authority, safe=""), action=quote(action, safe=""))
    return base_url.rstrip("/") + "/" + formatted.lstrip("/")


def _lines(items: Iterable[Item], url: Any) -> tuple[Line, ...]:
    by_action: dict[str, list[Item]] = {}
    for item in items:
        by_action.setdefault(item.action, []).append(item)
    lines = []
    for ref, found in by_action.items():
        first = found[0]
        lines.append(
            Line(
                ref=ref,
                title=first.title,
                reasons=tuple(dict.fromkeys(i.detail for i in found)),
                due=long_date(first.due_date),
                rating=RAG_WORDS.get(first.rag or "", "Not rated yet"),
                url=url(ref),
            )
        )
    return tuple(lines)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def lay_out(
    message: Message,
    authority_name: str,
    deadlines: Iterable[Mapping[str, Any]],
    base_url: str | None,
    path: str,
) -> ReminderLayout:
    """The message in words."""

    def url(ref: str) -> str | None:
        return action_url(base_url, path, message.authority, ref)

    own = _lines(message.own, url)
    escalated = _lines(message.escalations, url)
    parts = []
    if own:
        parts.append(_plural(len(own), "action needs", "actions need") + " your attention")
    if escalated:
        parts.append(
            _plural(len(escalated), "overdue action is", "overdue actions are")
            + " escalated to you"
        )
    subject = f"{authority_name} improvement plan: " + "; ".join(parts)
    coming = tuple(
        DeadlineLine(
            d["title"],
            long_date(date.fromisoformat(d["due"])),
            "due today"
            if d["status"] == "due_today"
            else _plural(d["working_days_left"], "working day left", "working days left"),
        )
        for d in deadlines
        if d["status"] in ("upcoming", "due_today") and d["current"]
    )
    return ReminderLayout(
        subject=subject,
        greeting=f"Dear {message.name},",
        intro=f"This is today's reminder from {authority_name}'s improvement-journey ledger.",
        own=own,
        escalated=escalated,
        deadlines=coming,
        footer=(
            "Open an action to record an update or ask for a new due date. The ledger keeps a "
            "record of this message, so the board can see when each reminder was sent."
        ),
    )


class ReminderRenderer:
    """Renders reminder messages with the notifier's templates, linking to the web app."""

    def __init__(self, environment: Environment, base_url: str | None, path: str) -> None:
        self.environment = environment
        self.base_url = base_url
        self.path = path

    def render(
        self, message: Message, authority_name: str, deadlines: Iterable[Mapping[str, Any]] = ()
    ) -> RenderedReminder:
        layout = lay_out(message, authority_name, deadlines, self.base_url, self.path)
        text = self.environment.get_template("reminder.txt.j2").render(layout=layout)
        html = self.environment.get_template("reminder.html.j2").render(layout=layout)
        body = text.split("\n", 2)[2] if text.startswith(layout.greeting) else text
        return RenderedReminder(
            subject=layout.subject,
            text=text,
            html=html,
            personalisation={
                "name": message.name,
                "subject": layout.subject,
                "body": body.strip(),
                "authority": authority_name,
                "actions": str(len(layout.own) + len(layout.escalated)),
            },
        )
