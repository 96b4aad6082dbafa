"""Splitting a long list (the timeline) into pages, and GOV.UK pagination links for them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, where it starts, and how many pages there are."""

    items: Sequence[Any]
    number: int
    pages: int
    total: int
    first_index: int

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1


def page_of(items: Sequence[T], number: int, size: int) -> Page:
    """Page ``number`` (from 1, clamped to the pages there are) of ``items``."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(items[start : start + size], number, pages, len(items), start + 1)


def pagination(page: Page, href: Callable[[int], str]) -> dict[str, Any] | None:
    """Parameters for ``govukPagination``: first, last, and the pages around this one."""
    if page.pages <= 1:
        return None
    shown = sorted({1, page.pages, page.number - 1, page.number, page.number + 1})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in (n for n in shown if 1 <= n <= page.pages):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
        previous = number
    params: dict[str, Any] = {"items": items}
    if page.number > 1:
        params["previous"] = {"href": href(page.number - 1)}
    if page.number < page.pages:
        params["next"] = {"href": href(page.number + 1)}
    return params
