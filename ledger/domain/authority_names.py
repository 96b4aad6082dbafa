"""Telling authorities apart by name: Ofsted's spreadsheets spell one authority several ways.

Between editions, and between the sheets of one edition, a name changes case ("Kingston Upon
Hull", "Kingston upon Hull"), punctuation ("St. Helens"), "&" for "and" ("Telford & Wrekin"), and
gains or loses a word of its title ("Bedford", "Bedford Borough", "Lancashire County Council").
`name_key` folds those differences away; what is left names one authority.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[.,'’()\-–/]")
# Words of a council's title, not of its place: "Bedford Borough", "York, City of".
_PREFIXES = (
    "london borough of ",
    "royal borough of ",
    "city and county of ",
    "city of ",
    "county ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " county borough council",
    " county council",
    " city council",
    " borough council",
    " district council",
    " unitary authority",
    " council",
    " borough",
    " city of",
    " city",
)
# Names whose title is the place itself: "City of London" is not "London".
_KEPT_WHOLE = frozenset({"city of london"})


def name_key(name: str) -> str:
    """The part of an authority's name that stays the same however it is spelt."""
    text = " ".join(name.lower().replace("&", " and ").split())
    if text in _KEPT_WHOLE:
        return text
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def slug_for(name: str) -> str:
    """The authority's id in the ledger, from its name: "Telford & Wrekin" becomes
    `telford-and-wrekin`."""
    return name_key(name).replace(" ", "-")


def region_key(region: str) -> str:
    """A region's name without the differences of case and spacing between sheets."""
    return " ".join(region.lower().replace("&", " and ").replace(",", " ").split())


def region_slug(region: str) -> str:
    """A region as a URL and a grant name it: "North East, Yorkshire and the Humber" is
    `north-east-yorkshire-and-the-humber`."""
    return region_key(region).replace(" ", "-")
