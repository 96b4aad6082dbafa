"""Transports deliver an already-rendered digest to one destination each.

Concrete transports live in their own modules (``slack``, ``teams``, ``email``)
so that importing the protocol does not pull in ``requests`` or ``smtplib``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from notifier.message import Delivery, RenderedDigest

__all__ = ["Transport"]


@runtime_checkable
class Transport(Protocol):
    """Something that can deliver a rendered digest to one destination."""

    @property
    def name(self) -> str:
        """A short, secret-free label for logs and delivery records, e.g. ``"slack"``."""
        ...

    def send(self, digest: RenderedDigest) -> Delivery:
        """Deliver ``digest`` once, retrying internally as the transport sees fit.

        Returns:
            A :class:`~notifier.message.Delivery` describing the accepted send.

        Raises:
            notifier.message.DeliveryFailed: When the digest was not delivered.
        """
        ...
