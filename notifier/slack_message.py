"""The digest as a Slack Block Kit message, kept within Slack's limits.

Slack refuses a message with more than 50 blocks, a section whose text is over 3,000 characters,
or a header over 150. Long sections continue in further blocks; when the blocks run out the
message is cut and its last block says how many items were left out, linking to the full digest
on the web. The top-level `text` is the notification and screen-reader fallback.

What people typed (titles, narratives, reasons) is never read as mrkdwn, which has no way to
escape ``*``, ``_`` or ``~``: each section's items are a rich text list, whose text elements
Slack shows literally, with the ledger's own bold and links as styles and link elements.
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


def _text(text: str, **style: bool) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def item_elements(item: Item) -> list[dict[str, Any]]:
    """One item as rich text: its sentence in bold, then its details, table rows, note and
    link, every piece of it shown as written (cut to fit Slack's limits)."""
    elements = [_text(_cut(item.text, MAX_SECTION_TEXT), bold=True)]
    for detail in item.details:
        elements.append(_text("\n" + _cut(detail, MAX_SECTION_TEXT - 1)))
    if item.table is not None:
        for row in item.table.rows:
            label, before, now, direction = (*row, "", "", "")[:4]
            elements.append(_text(f"\n{label.lstrip('- ')}: {before} → "))
            elements.append(_text(now, bold=True))
            elements.append(_text(f" ({direction})"))
    if item.note:
        elements.append(_text("\n" + _cut(item.note, MAX_SECTION_TEXT - 1), italic=True))
    if item.link:
        elements.append(_text("\n"))
        elements.append({"type": "link", "url": item.link.url, "text": item.link.label})
    return elements


def item_size(elements: list[dict[str, Any]]) -> int:
    """The characters of an item's rich text (what Slack's limits count)."""
    return sum(len(e.get("text", "")) + len(e.get("url", "")) for e in elements)


def _items_block(items: list[list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [{"type": "rich_text_section", "elements": e} for e in items],
            }
        ],
    }


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


@dataclass
class _Builder:
    """Fills blocks up to the budget, counting what did not fit: a section heading (mrkdwn of
    the ledger's own words), then its items as rich text lists of up to 3,000 characters."""

    budget: int
    blocks: list[dict[str, Any]] = field(default_factory=list)
    left_out: int = 0
    _items: list[list[dict[str, Any]]] = field(default_factory=list)
    _size: int = 0

    def _flush(self) -> None:
        if self._items:
            self.blocks.append(_items_block(self._items))
            self._items, self._size = [], 0

    def _room_for_block(self) -> bool:
        return len(self.blocks) + (1 if self._items else 0) < self.budget

    def add_section(self, section: Section) -> None:
        self._flush()
        # A heading with no room for any of its items after it is left out with them.
        if self.left_out or len(self.blocks) + 2 > self.budget:
            self.left_out += max(len(section.items), 1)
            return
        heading = f"*{escape(section.heading)}*"
        if section.intro:
            heading += f"\n{escape(section.intro)}"
        self.blocks.append(_section(heading))
        for index, item in enumerate(section.items):
            if not self._add_item(item_elements(item)):
                self.left_out += len(section.items) - index
                return

    def _add_item(self, elements: list[dict[str, Any]]) -> bool:
        size = item_size(elements)
        if self._items and self._size + size <= MAX_SECTION_TEXT:
            self._items.append(elements)
            self._size += size
            return True
        self._flush()
        if not self._room_for_block():
            return False
        self._items, self._size = [elements], size
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
