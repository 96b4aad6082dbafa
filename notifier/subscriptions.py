"""People subscribed to their authority's weekly digest: each is a channel of its own, built when
a run starts from the people as recorded, delivering by email to the person's address through
the SMTP settings reminders use. A channel per person means each one's deliveries are recorded
apart, so a period goes to each person once, and a new subscriber's first digest starts fresh."""

from __future__ import annotations

import logging
from collections.abc import Callable

from notifier.channels import Channel
from notifier.transports.addressed import PersonalEmail
from projections.views import JourneyViews

logger = logging.getLogger(__name__)

Subscribers = Callable[[], dict[str, Channel]]


def subscriber_channel_name(authority: str, person: str) -> str:
    """The channel of one subscriber, e.g. `subscriber/lancashire/jo-bloggs`."""
    return f"subscriber/{authority}/{person}"


def subscriber_channels(views: JourneyViews, email: PersonalEmail) -> Subscribers:
    """What a digest run calls for the subscribers' channels (each serving its authority)."""

    def channels() -> dict[str, Channel]:
        found: dict[str, Channel] = {}
        for authority in views.authorities():
            slug = str(authority.get("slug", ""))
            if not slug:
                continue
            for person in views.people(slug)["people"]:
                if not (person["active"] and person["digest"]):
                    continue
                name = subscriber_channel_name(slug, person["ref"])
                try:
                    transport = email.transport_for(person["email"])
                except ValueError as problem:
                    logger.warning("digest to %s skipped: %s", name, problem)
                    continue
                found[name] = Channel(name, transport, frozenset({slug}))
        return found

    return channels
