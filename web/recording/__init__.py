"""The recording forms, one per kind of event."""
