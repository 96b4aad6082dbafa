"""Bringing an improvement plan in from a spreadsheet: upload, check your answers, record."""
