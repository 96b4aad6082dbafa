"""The improvement-journey ledger: immutable, chained events of a council's improvement journey."""
