"""Imports from documents other than the ledger's own JSON Lines: Ofsted's outcome spreadsheets
(`ofsted`), and improvement plans kept as spreadsheet trackers (`plans`)."""
