"""The digest as a Slack Block Kit message, kept within Slack's limits.

Slack refuses a message with more than 50 blocks, a section whose text is over 3,000 characters,
or a header over 150. Long sections continue in further section blocks; when the blocks run out
the message is cut and its last block says how many items were left out, linking to the full
digest on the web. The top-level `text` is the notification and screen-reader fallback.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from notifier.layout import DigestLayout, Item, Section

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FALLBACK_TEXT = 3000
# Blocks kept back for the footer (a divider and the fingerprint) and the "and N more" notice.
_RESERVED_BLOCKS = 3


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only &, < and > are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    # A URL may not contain "|" or ">" inside Slack's <url|label> syntax.
    safe = url.replace("|", "%7C").replace(">", "%3E")
    return f"<{safe}|{escape(label)}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_mrkdwn(item: Item) -> str:
    """One item as mrkdwn: a bold sentence, then its details, table rows, note and link."""
    lines = [f"• *{escape(item.text)}*"]
    lines += [f"      {escape(d)}" for d in item.details]
    if item.table is not None:
        for row in item.table.rows:
            label, before, now, direction = (*row, "", "", "")[:4]
            lines.append(
                f"      {escape(label.lstrip('- '))}: {escape(before)} → *{escape(now)}* "
                f"({escape(direction)})"
            )
    if item.note:
        lines.append(f"      _{escape(item.note)}_")
    if item.link:
        lines.append(f"      {_link(item.link.url, item.link.label)}")
    return "\n".join(lines)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


@dataclass
class _Builder:
    """Fills blocks up to the budget, counting what did not fit."""

    budget: int
    blocks: list[dict[str, Any]] = field(default_factory=list)
    left_out: int = 0
    _text: str = ""

    def _flush(self) -> None:
        if self._text:
            self.blocks.append(_section(self._text))
            self._text = ""

    def _room_for_block(self) -> bool:
        return len(self.blocks) + (1 if self._text else 0) < self.budget

    def add_section(self, section: Section) -> None:
        self._flush()
        if self.left_out or not self._room_for_block():
            self.left_out += max(len(section.items), 1)
            return
        self._text = f"*{escape(section.heading)}*"
        if section.intro:
            self._text += f"\n{escape(section.intro)}"
        for index, item in enumerate(section.items):
            if not self._add_item(item_mrkdwn(item)):
                self.left_out += len(section.items) - index
                return

    def _add_item(self, text: str) -> bool:
        text = _cut(text, MAX_SECTION_TEXT)
        if len(self._text) + 1 + len(text) <= MAX_SECTION_TEXT:
            self._text += "\n" + text
            return True
        self._flush()
        if not self._room_for_block():
            return False
        self._text = text
        return True

    def finish(self) -> list[dict[str, Any]]:
        self._flush()
        return self.blocks


def _summary(layout: DigestLayout) -> Iterator[str]:
    for section in layout.sections:
        if section.items:
            yield f"{section.heading}: {len(section.items)}"


def slack_message(layout: DigestLayout) -> dict[str, Any]:
    """An incoming-webhook payload: `{"text": fallback, "blocks": [...]}`."""
    head = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _cut(layout.title, MAX_HEADER_TEXT)},
        },
        _context(escape(f"{layout.period_line} · {layout.compiled_line}")),
    ]
    if layout.first_line:
        head.append(_section(escape(layout.first_line)))
    if layout.quiet_line:
        head.append(_section(escape(layout.quiet_line)))
    builder = _Builder(budget=MAX_BLOCKS - _RESERVED_BLOCKS - len(head))
    for section in layout.sections:
        builder.add_section(section)
    body = builder.finish()
    footer = [
        {"type": "divider"},
        _context(
            escape(f"Ledger fingerprint {layout.fingerprint} · check with ")
            + f"`{escape(layout.verify_command)}`"
        ),
    ]
    link = layout.web_link
    if builder.left_out:
        more = f"…and {builder.left_out} more."
        tail = f" {_link(link.url, 'Read the full digest')}" if link else " See the full digest."
        footer.append(_section(more + tail))
    elif link:
        footer.append(_section(_link(link.url, link.label)))
    fallback = layout.quiet_line or "; ".join(_summary(layout)) or "No changes."
    text = _cut(f"{layout.subject}. {fallback}", MAX_FALLBACK_TEXT)
    return {"text": text, "blocks": [*head, *body, *footer]}
