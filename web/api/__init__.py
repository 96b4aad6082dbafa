"""The read-only JSON API."""
