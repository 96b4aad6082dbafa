"""The `eventsourcing` library's settings, as the ledger allows them.

The library configures an application from a mapping of settings that it merges with the
process environment, and several of its settings would store events outside the hash chain:
`POSTGRES_ENABLE_DB_FUNCTIONS` inserts through an SQL function that never seals,
`PERSISTENCE_MODULE` (or its legacy names) and `APPLICATION_RECORDER_TOPIC` can name an unsealed
recorder, and `IS_SNAPSHOTTING_ENABLED` makes the repository trust snapshot rows that no seal
covers. So the ledger takes none of the library's settings from the environment: the composition
root sets each one, and anything else is refused by name. The sealed factories refuse the
dangerous settings too, so no application built on them, the ledger's or another, can bypass
the chain.
"""

from __future__ import annotations

from collections.abc import Mapping

from eventsourcing.utils import Environment, strtobool

from ledger.domain.errors import LedgerError

SEALED_SQLITE_FACTORY = "ledger.persistence.sealed_sqlite:SealedSQLiteFactory"
SEALED_POSTGRES_FACTORY = "ledger.persistence.sealed_postgres:SealedPostgresFactory"
SEALED_FACTORIES = frozenset({SEALED_SQLITE_FACTORY, SEALED_POSTGRES_FACTORY})
THE_CIPHER = "eventsourcing.cryptography:AESCipher"

# The settings the composition root may give (from the database URL and the cipher key).
ALLOWED = frozenset(
    {
        "PERSISTENCE_MODULE",
        "CIPHER_TOPIC",
        "CIPHER_KEY",
        "SQLITE_DBNAME",
        "SQLITE_LOCK_TIMEOUT",
        "SEALED_EVENTS_TABLE",
        "POSTGRES_DBNAME",
        "POSTGRES_HOST",
        "POSTGRES_PORT",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "POSTGRES_SCHEMA",
        "POSTGRES_POOL_SIZE",
        "POSTGRES_MAX_OVERFLOW",
        "POSTGRES_CONNECT_TIMEOUT",
        "POSTGRES_LOCK_TIMEOUT",
    }
)
# Why each setting that could bypass the chain once a sealed factory is chosen is refused.
BYPASSES = {
    "POSTGRES_ENABLE_DB_FUNCTIONS": "it inserts events through an SQL function that never seals",
    "APPLICATION_RECORDER_TOPIC": "it can name a recorder that does not seal",
    "IS_SNAPSHOTTING_ENABLED": "aggregates would be loaded from snapshots no seal covers",
}
# The settings that choose another persistence module (the library's legacy names).
CHOOSERS = {
    "INFRASTRUCTURE_FACTORY": "it can name persistence that does not seal",
    "FACTORY_TOPIC": "it can name persistence that does not seal",
}


class UnsafeLibrarySetting(LedgerError):
    """A library setting that would store or read events outside the hash chain."""


def library_settings(given: Mapping[str, str]) -> dict[str, str]:
    """The library's settings for a ledger: exactly `given`, checked, with table creation left
    to the ledger (`CREATE_TABLE` off: it creates its tables itself, under a lock).

    Raises `UnsafeLibrarySetting` naming any setting the ledger does not set itself.
    """
    for key in sorted(given):
        if key not in ALLOWED:
            why = {**BYPASSES, **CHOOSERS}.get(key, "the ledger sets the library's settings itself")
            raise UnsafeLibrarySetting(f"the ledger refuses the library setting {key}: {why}")
    module = given.get("PERSISTENCE_MODULE")
    if module not in SEALED_FACTORIES:
        raise UnsafeLibrarySetting(
            f"the ledger stores events only through its sealed recorders, not {module!r}"
        )
    cipher = given.get("CIPHER_TOPIC")
    if cipher is not None and cipher != THE_CIPHER:
        raise UnsafeLibrarySetting(f"the ledger encrypts only with {THE_CIPHER}, not {cipher!r}")
    return {**given, "CREATE_TABLE": "n"}


def refuse_bypasses(env: Environment) -> None:
    """Raise if `env` (the settings a sealed factory was given, with the process environment
    the library merged in) holds a setting that would bypass the chain."""
    for key, why in BYPASSES.items():
        value = env.get(key)
        if value is None or not value.strip():
            continue
        try:
            switched_on = strtobool(value)
        except ValueError:
            switched_on = True  # a topic, not a flag
        if switched_on:
            raise UnsafeLibrarySetting(
                f"the sealed recorders refuse the library setting {key}={value}: {why}"
            )
