"""`python -m entrypoints`: the same as the `ledger` command."""

from entrypoints.cli.main import main

main()
