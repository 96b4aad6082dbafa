"""Tamper evidence: the hash chain, the verification of a history against its seals, and
portable bundles that verify with no database."""
