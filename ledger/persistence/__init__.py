"""Storage adapters: database URLs, how event state is encoded, and the recorders that seal every
event into the hash chain in the transaction that writes it (SQLite and PostgreSQL)."""
