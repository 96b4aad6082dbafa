"""One-time passwords: made for a first administrator or by an admin's reset, shown once, and
good only until their user chooses their own."""

from __future__ import annotations

import secrets

# No 0/O, 1/l/I: the password is read off a screen and typed.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
GROUPS = 4
GROUP_LENGTH = 4


def one_time_password() -> str:
    """A random password like ``k7mq-2xdp-9rtw-hh4c``: 80 bits, easy to read out and type."""
    groups = (
        "".join(secrets.choice(_ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )
    return "-".join(groups)
