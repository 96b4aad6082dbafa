"""The domain: records, the events that change them, and the rules they keep.

Pure: no database, no files, no HTTP, no clock (time comes in as a parameter); it imports nothing
of the project outside this package.
"""
