"""Entry points: the single composition root, the `ledger` command line, the WSGI app and the
digest scheduler process. Only this package reads settings (`config`)."""
