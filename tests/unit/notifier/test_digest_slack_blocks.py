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
    body = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
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
    assert "Investment: £5,000,000.00" in body
    assert "now Red, was Amber" in body


def test_user_text_is_escaped_for_mrkdwn() -> None:
    payload = make_renderer().render(week_digest()).slack
    body = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert "Approved &lt;b&gt;new&lt;/b&gt; posts &amp; training." in body
    assert "<b>" not in body
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_links_use_slack_link_syntax() -> None:
    payload = make_renderer().render(week_digest()).slack
    body = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    assert "<https://reports.example.org/sif-2018.pdf|Read the report>" in body
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
    shown = sum(
        b["text"]["text"].count("\n• ") + b["text"]["text"].startswith("• ")
        for b in payload["blocks"][:-1]
        if b["type"] == "section"
    )
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
    assert any(b["text"]["text"].endswith("…") for b in payload["blocks"] if b["type"] == "section")


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
