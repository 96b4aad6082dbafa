"""Paging the timeline, and GOV.UK pagination links."""

from __future__ import annotations

from web.journey.paging import page_of, pagination


def test_pages_are_clamped_and_counted() -> None:
    items = list(range(120))
    assert page_of(items, 3, 50).items == list(range(100, 120))
    last = page_of(items, 99, 50)
    assert (last.number, last.pages, last.first_index, last.last_index) == (3, 3, 101, 120)
    assert page_of([], 1, 50).pages == 1


def test_one_page_needs_no_pagination() -> None:
    assert pagination(page_of([1, 2], 1, 50), str) is None


def test_pagination_shows_first_last_and_neighbours_with_ellipses() -> None:
    params = pagination(page_of(list(range(1000)), 10, 50), lambda n: f"?page={n}")
    assert params is not None
    numbers = [item.get("number", "…") for item in params["items"]]
    assert numbers == [1, "…", 9, 10, 11, "…", 20]
    assert [item for item in params["items"] if item.get("current")] == [
        {"number": 10, "href": "?page=10", "current": True}
    ]
    assert params["previous"] == {"href": "?page=9"}
    assert params["next"] == {"href": "?page=11"}
