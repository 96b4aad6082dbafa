"""The Teams message: a Workflows payload carrying a well-formed Adaptive Card 1.4."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from notifier.teams_card import CARD_CONTENT_TYPE
from tests.unit.notifier.digest_samples import huge_digest, make_renderer, quiet_digest, week_digest

ELEMENTS = {"TextBlock", "RichTextBlock", "FactSet", "Container"}
TEXTBLOCK_KEYS = {"type", "text", "wrap", "size", "weight", "spacing", "isSubtle"}


def walk(elements: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for element in elements:
        yield element
        yield from walk(element.get("items", []))


def text_of(element: dict[str, Any]) -> str:
    """A TextBlock's text, or a RichTextBlock's runs, joined."""
    return element.get("text", "") or "".join(r["text"] for r in element.get("inlines", []))


def card_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == CARD_CONTENT_TYPE
    assert attachment["contentUrl"] is None
    card: dict[str, Any] = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] in ("1.4", "1.5")
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    return card


def test_the_card_is_json_of_the_workflows_shape() -> None:
    payload = make_renderer().render(week_digest()).teams
    card = card_of(json.loads(json.dumps(payload)))
    for element in walk(card["body"]):
        assert element["type"] in ELEMENTS, element
        if element["type"] == "TextBlock":
            assert set(element) <= TEXTBLOCK_KEYS
            assert element["text"].strip()
            assert element["wrap"] is True
        if element["type"] == "RichTextBlock":
            assert all(
                run["type"] == "TextRun" and run["text"].strip() for run in element["inlines"]
            )
        if element["type"] == "FactSet":
            assert all(set(f) == {"title", "value"} for f in element["facts"])
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open this digest in the ledger",
            "url": "https://ledger.example.org/authorities/exampleshire/timeline?from=2018-08-13&to=2018-08-19",
        }
    ]


def test_the_card_tells_the_weeks_facts() -> None:
    card = card_of(make_renderer().render(week_digest()).teams)
    texts = [text_of(e) for e in walk(card["body"])]
    facts = [f for e in walk(card["body"]) for f in e.get("facts", [])]
    assert texts[0] == "Exampleshire County Council: improvement digest"
    assert texts[1] == "13 to 19 August 2018 (2018-W33)"
    assert {
        "title": "Overall effectiveness",
        "value": "Inadequate → Requires improvement to be good (improved)",
    } in facts
    assert any("Investment: £5,000,000.00" in t for t in texts)
    assert any(t.startswith("Ledger fingerprint 42:abab") for t in texts)


def test_a_huge_card_is_cut_with_and_n_more_and_stays_small() -> None:
    payload = make_renderer().render(huge_digest(400)).teams
    card = card_of(payload)
    texts = [text_of(e) for e in walk(card["body"])]
    cut = [t for t in texts if re.match(r"…and \d+ more\. \[Read the full digest\]\(https://", t)]
    assert len(cut) == 1
    assert len(json.dumps(payload).encode("utf-8")) < 28_000


def test_a_quiet_week_has_its_one_line() -> None:
    card = card_of(make_renderer().render(quiet_digest()).teams)
    texts = [text_of(e) for e in walk(card["body"])]
    assert texts[2].startswith("A quiet week: nothing was dated in, or recorded during")


def test_markdown_in_what_people_typed_is_shown_as_typed() -> None:
    """A narrative's `[link](https://evil.example)` is no link in the official digest: it is in
    a TextRun, never in a TextBlock (which Teams reads as Markdown)."""
    from notifier.digest import RagChange
    from tests.unit.notifier.digest_samples import WEEK, seen

    hostile = "**bold** _it_ [link](https://evil.example) - not a list"
    digest = week_digest(
        rag_changes=(RagChange("act-1", hostile, "red", None, hostile, seen(WEEK.start)),)
    )
    card = card_of(make_renderer().render(digest).teams)
    markdown = [e["text"] for e in walk(card["body"]) if e["type"] == "TextBlock"]
    assert not any("evil.example" in text for text in markdown)
    runs = [r for e in walk(card["body"]) for r in e.get("inlines", [])]
    assert any(r["text"] == hostile for r in runs)
    assert all("selectAction" not in r or "evil" not in r["selectAction"]["url"] for r in runs)
