"""Bringing records in from files other than the ledger's own JSON Lines: improvement plans kept
as spreadsheets (`plans`)."""
