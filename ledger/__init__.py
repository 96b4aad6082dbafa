"""The improvement-journey ledger: the domain, the application service that is its one door, the
storage adapters that seal every event into a hash chain, and the chain's verification.

    ledger.domain        records, events and the rules they keep (pure: no I/O)
    ledger.application   commands, their handlers, imports and restores, the log read back
    ledger.persistence   database URLs, the transcoder, the sealed SQLite and PostgreSQL recorders
    ledger.evidence      the hash chain, verification, portable bundles
"""
