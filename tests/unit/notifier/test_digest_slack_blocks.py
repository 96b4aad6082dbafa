"""The Slack message: valid Block Kit (checked offline with slack_sdk) and within Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from notifier.digest import RagChange
from notifier.slack_message import MAX_BLOCKS, MAX_SECTION_TEXT, escape, slack_message
from tests.unit.notifier.digest_samples import (
    WEEK,
    huge_digest,
    make_renderer,
    quiet_digest,
    seen,
    week_digest,
)


def items(payload: Mapping[str, Any]) -> list[list[dict[str, Any]]]:
    """Every item's rich text elements, in order."""
    return [
        section["elements"]
        for block in payload["blocks"]
        if block["type"] == "rich_text"
        for listed in block["elements"]
        for section in listed["elements"]
    ]


def item_text(elements: list[dict[str, Any]]) -> str:
    return "".join(e.get("text", "") for e in elements)


def mrkdwn(payload: Mapping[str, Any]) -> str:
    """Every piece of text Slack reads as mrkdwn (section and context texts)."""
    texts = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    texts += [e["text"] for b in payload["blocks"] if b["type"] == "context" for e in b["elements"]]
    return "\n".join(texts)


def assert_valid_blocks(payload: Mapping[str, Any]) -> None:
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= MAX_BLOCKS
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()  # raises SlackObjectFormationError on any breach
        if raw["type"] == "section":
            assert len(raw["text"]["text"]) <= MAX_SECTION_TEXT
    assert payload["text"].strip()


def test_a_busy_week_is_valid_block_kit_with_every_section() -> None:
    payload = make_renderer().render(week_digest()).slack
    assert_valid_blocks(payload)
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Exampleshire County Council: improvement digest"},
    }
    body = mrkdwn(payload)
    for heading in (
        "*New inspection judgements*",
        "*Monitoring visits*",
        "*Decisions*",
        "*RAG changes*",
        "*Due dates revised*",
        "*Indicators moving the wrong way*",
        "*Corrections and late entries*",
    ):
        assert heading in body
    shown = "\n".join(item_text(item) for item in items(payload))
    assert "Investment: £5,000,000.00" in shown
    assert "now Red, was Amber" in shown


def test_user_text_is_never_read_as_mrkdwn() -> None:
    """What people typed is shown as typed, in rich text; no mrkdwn carries it."""
    payload = make_renderer().render(week_digest()).slack
    shown = "\n".join(item_text(item) for item in items(payload))
    assert "Approved <b>new</b> posts & training." in shown
    assert "<b>" not in mrkdwn(payload)
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_markdown_in_user_text_makes_no_bold_and_no_link() -> None:
    hostile = "*bold* _it_ ~gone~ `code` [link](https://evil.example) <https://evil.example|x>"
    digest = week_digest(
        rag_changes=(RagChange("act-1", hostile, "red", None, hostile, seen(WEEK.start)),)
    )
    payload = make_renderer().render(digest).slack
    assert_valid_blocks(payload)
    assert "evil.example" not in mrkdwn(payload)
    (item,) = [i for i in items(payload) if "evil.example" in item_text(i)]
    assert all(e["type"] == "text" for e in item if "evil.example" in e.get("text", ""))
    assert not any(e["type"] == "link" and "evil" in e["url"] for e in item)
    assert hostile in item_text(item)


def test_links_are_link_elements_or_slack_link_syntax() -> None:
    payload = make_renderer().render(week_digest()).slack
    links = [e for item in items(payload) for e in item if e["type"] == "link"]
    assert {
        "type": "link",
        "url": "https://reports.example.org/sif-2018.pdf",
        "text": "Read the report",
    } in links
    assert payload["blocks"][-1]["text"]["text"].startswith(
        "<https://ledger.example.org/authorities/exampleshire/timeline?from=2018-08-13&to=2018-08-19|"
    )


def test_a_huge_digest_is_cut_to_the_limits_and_ends_with_and_n_more() -> None:
    digest = huge_digest(400)
    payload = make_renderer().render(digest).slack
    assert_valid_blocks(payload)
    assert len(payload["blocks"]) == MAX_BLOCKS
    last = payload["blocks"][-1]["text"]["text"]
    match = re.fullmatch(r"…and (\d+) more\. <(https://[^|]+)\|Read the full digest>", last)
    assert match, last
    assert match.group(2).startswith("https://ledger.example.org/authorities/exampleshire/")
    shown = len(items(payload))
    total_items = 1 + 1 + 1 + 400 + 1 + 400 + 1 + 2 + 1 + 2  # every section's items
    assert shown + int(match.group(1)) == total_items


def test_without_a_web_address_the_cut_message_still_says_how_many_more() -> None:
    payload = make_renderer(base_url=None).render(huge_digest(200)).slack
    assert_valid_blocks(payload)
    assert re.fullmatch(
        r"…and \d+ more\. See the full digest\.", payload["blocks"][-1]["text"]["text"]
    )


def test_a_single_enormous_item_is_cut_within_the_section_limit() -> None:
    enormous = RagChange("act-1", "Reduce caseloads", "red", None, "x" * 10_000, seen(WEEK.start))
    digest = week_digest(rag_changes=(enormous,))
    payload = make_renderer().render(digest).slack
    assert_valid_blocks(payload)
    assert any(e.get("text", "").endswith("…") for item in items(payload) for e in item)
    assert all(len(e.get("text", "")) <= MAX_SECTION_TEXT for item in items(payload) for e in item)


def test_a_quiet_week_says_so_in_one_section() -> None:
    payload = make_renderer().render(quiet_digest()).slack
    assert_valid_blocks(payload)
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert sections[0] == (
        "A quiet week: nothing was dated in, or recorded during, 13 to 19 August 2018 for "
        "Exampleshire County Council."
    )
    assert payload["text"].endswith(sections[0])


@pytest.mark.parametrize("digest", [week_digest(), quiet_digest(), huge_digest(60)])
def test_the_fallback_text_is_within_the_limit(digest: Any) -> None:
    payload = slack_message(make_renderer().layout(digest))
    assert 0 < len(payload["text"]) <= 3000
    assert payload["text"].startswith(
        "Exampleshire County Council: improvement digest, 13 to 19 August 2018"
    )
