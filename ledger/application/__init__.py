"""The application service: the one door to the write model.

Commands come in (from a form, an import line, a restore), are checked by their handlers against
the records they touch, and are recorded as events in one transaction; the log is read back from
here too. Nothing outside this package calls the repository, `save` or the recorder.
"""
