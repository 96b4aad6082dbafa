"""The digest as a Microsoft Teams message: an Adaptive Card (1.4) for a Workflows webhook.

The "When a Teams webhook request is received" trigger takes a message whose attachments carry
the card. Cards use only 1.4 elements (TextBlock, FactSet, Container, Action.OpenUrl) so every
Teams client shows them. Teams refuses messages over about 28 KB, so the card keeps to a text
budget and, past it, ends with how many items were left out and a link to the full digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from notifier.layout import DigestLayout, Item, Section

CARD_VERSION = "1.4"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Characters of text in the card body before it is cut (JSON overhead roughly doubles it).
TEXT_BUDGET = 12_000


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _literal(text: str, **style: Any) -> dict[str, Any]:
    """Text shown exactly as written (a TextRun is never Markdown), with `spacing` for the
    block and `size`, `weight`, `isSubtle` and `italic` for the text."""
    block = {key: style.pop(key) for key in ("spacing",) if key in style}
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": text, **style}],
        **block,
    }


def _literal_link(label: str, url: str) -> dict[str, Any]:
    return {
        "type": "RichTextBlock",
        "spacing": "None",
        "inlines": [
            {
                "type": "TextRun",
                "text": label,
                "selectAction": {"type": "Action.OpenUrl", "url": url},
            }
        ],
    }


def _link(label: str, url: str) -> str:
    return f"[{label}]({url.replace(')', '%29').replace(' ', '%20')})"


def item_elements(item: Item) -> list[dict[str, Any]]:
    """One item: its sentence in bold, details, a fact set for a table, note and link."""
    elements = [_literal(item.text, spacing="Medium", weight="Bolder")]
    elements += [_literal(detail, spacing="None") for detail in item.details]
    if item.table is not None:
        elements.append(
            {
                "type": "FactSet",
                "facts": [
                    {"title": row[0], "value": f"{row[1]} → {row[2]} ({row[3]})"}
                    for row in item.table.rows
                ],
            }
        )
    if item.note:
        elements.append(_literal(item.note, spacing="None", isSubtle=True, italic=True))
    if item.link:
        elements.append(_literal_link(item.link.label, item.link.url))
    return elements


def _size(elements: list[dict[str, Any]]) -> int:
    total = 0
    for element in elements:
        total += len(element.get("text", ""))
        total += sum(len(run.get("text", "")) for run in element.get("inlines", []))
        total += sum(len(f["title"]) + len(f["value"]) for f in element.get("facts", []))
    return total


@dataclass
class _Budget:
    left: int
    left_out: int = 0
    body: list[dict[str, Any]] = field(default_factory=list)

    def add_section(self, section: Section) -> None:
        if self.left_out:
            self.left_out += max(len(section.items), 1)
            return
        items: list[dict[str, Any]] = [_text(section.heading, weight="Bolder", size="Medium")]
        if section.intro:
            items.append(_text(section.intro, spacing="Small"))
        self.left -= _size(items)
        for index, item in enumerate(section.items):
            elements = item_elements(item)
            cost = _size(elements)
            if cost > self.left:
                self.left_out += len(section.items) - index
                break
            self.left -= cost
            items += elements
        self.body.append(
            {"type": "Container", "separator": True, "spacing": "Large", "items": items}
        )


def teams_card(layout: DigestLayout) -> dict[str, Any]:
    """The Adaptive Card itself."""
    body: list[dict[str, Any]] = [
        _literal(layout.title, size="Large", weight="Bolder"),
        _text(layout.period_line, spacing="None", isSubtle=True),
    ]
    if layout.first_line:
        body.append(_literal(layout.first_line))
    if layout.quiet_line:
        body.append(_literal(layout.quiet_line))
    budget = _Budget(TEXT_BUDGET)
    for section in layout.sections:
        budget.add_section(section)
    body += budget.body
    link = layout.web_link
    if budget.left_out:
        more = f"…and {budget.left_out} more."
        body.append(_text(f"{more} {_link('Read the full digest', link.url)}" if link else more))
    body.append(
        {
            "type": "Container",
            "separator": True,
            "spacing": "Large",
            "items": [
                _text(f"Ledger fingerprint {layout.fingerprint}", size="Small", isSubtle=True),
                _text(
                    f"Check with: {layout.verify_command}",
                    size="Small",
                    isSubtle=True,
                    spacing="None",
                ),
                _text(layout.compiled_line, size="Small", isSubtle=True, spacing="None"),
            ],
        }
    )
    card: dict[str, Any] = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": link.label, "url": link.url}]
    return card


def teams_message(layout: DigestLayout) -> dict[str, Any]:
    """The Workflows webhook payload wrapping the card."""
    return {
        "type": "message",
        "attachments": [
            {"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": teams_card(layout)}
        ],
    }
