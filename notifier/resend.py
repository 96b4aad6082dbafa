"""A digest sent again after an attempt whose outcome is unknown says so itself, at its top,
with why: a reader who sees it twice knows which one to keep."""

from __future__ import annotations

import copy
import html
from dataclasses import replace
from typing import Any

from notifier.message import RenderedDigest

HEADING = "This is a resend"


def resend_notice(why: str) -> str:
    """The sentence a resent digest starts with."""
    return (
        f"{HEADING}: {why}, so this digest may already have arrived. If it did, the two are "
        "the same; keep either."
    )


def resent_slack(payload: Any, why: str) -> dict[str, Any]:
    """The Slack payload with the notice after its header and in its notification text."""
    marked = copy.deepcopy(dict(payload))
    notice = resend_notice(why)
    blocks = list(marked.get("blocks", []))
    # Rich text: shown as written, never as mrkdwn (the reason quotes a transport's words).
    block = {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": notice}]}],
    }
    marked["blocks"] = [*blocks[:1], block, *blocks[1:]][:50]
    marked["text"] = f"{notice} {marked.get('text', '')}"[:3000]
    return marked


def resent_teams(payload: Any, why: str) -> dict[str, Any]:
    """The Teams payload with the notice after the card's title."""
    marked = copy.deepcopy(dict(payload))
    for attachment in marked.get("attachments", []):
        card = attachment.get("content", {})
        body = list(card.get("body", []))
        notice = {
            "type": "RichTextBlock",
            "inlines": [{"type": "TextRun", "text": resend_notice(why), "weight": "Bolder"}],
        }
        card["body"] = [*body[:1], notice, *body[1:]]
    return marked


def resent(digest: RenderedDigest, why: str) -> RenderedDigest:
    """Every rendering of the digest, marked as a resend (the email's subject too)."""
    notice = resend_notice(why)
    return replace(
        digest,
        subject=f"Resent: {digest.subject}",
        text=f"{notice}\n\n{digest.text}",
        html=digest.html.replace(
            "<body>", f"<body><p><strong>{html.escape(notice)}</strong></p>", 1
        )
        if "<body>" in digest.html
        else f"<p><strong>{html.escape(notice)}</strong></p>{digest.html}",
        slack=resent_slack(digest.slack, why),
        teams=resent_teams(digest.teams, why),
    )
