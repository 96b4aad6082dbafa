"""Tables are made once: at `ledger init` (or by the first command that records, under a lock),
never by opening a ledger; processes starting together all start; a read of a ledger that is
not there is an error, not a new empty ledger."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from entrypoints.bootstrap import Access, LedgerNotFound, Services, build_services
from ledger.domain.frameworks import FrameworkCatalogue
from tests.conftest import Clock
from tests.factories import journey, progress, record
from tests.integration.ledger.schema_catalogue import catalogue
from tests.integration.ledger.tampering import Attacker

ROOT = Path(__file__).resolve().parents[3]


def ledger_process(database_url: str, *args: str) -> subprocess.Popen[str]:
    """`ledger --database URL ARGS` as a process of its own."""
    env = {**os.environ, "LEDGER_ACTOR": "start-test"}
    return subprocess.Popen(
        [sys.executable, "-m", "entrypoints", "--database", database_url, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(processes: list[subprocess.Popen[str]], timeout: float = 240) -> list[str]:
    """Each process's exit status and standard error, once all have ended."""
    outcomes = []
    for process in processes:
        _, stderr = process.communicate(timeout=timeout)
        outcomes.append(f"{process.returncode} {stderr.strip()[-300:]}")
    return outcomes


def test_opening_a_ledger_runs_no_ddl(
    database_url: str, frameworks: FrameworkCatalogue, clock: Clock
) -> None:
    first = build_services(database_url, frameworks, today=clock, access=Access.MIGRATE)
    record(first.ledger, *journey())
    first.close()
    before = catalogue(database_url)

    for access, day in ((Access.READ, None), (Access.RECORD, "10"), (Access.MIGRATE, "11")):
        services = build_services(database_url, frameworks, today=clock, access=access)
        try:
            assert services.ledger.verify().intact
            services.views.judgements("testshire")
            services.views.actions("testshire")
            if day is not None:
                record(services.ledger, progress("act-1", f"2018-{day}-01", "red"))
        finally:
            services.close()
    assert catalogue(database_url) == before


def test_a_read_of_a_ledger_that_is_not_there_is_an_error_and_creates_nothing(
    tmp_path: Path, frameworks: FrameworkCatalogue
) -> None:
    missing = tmp_path / "mistyped" / "ledger.db"
    for access in (Access.READ, Access.RECORD):
        with pytest.raises(LedgerNotFound, match="no such file"):
            build_services(f"sqlite:///{missing}", frameworks, access=access)
    assert not missing.parent.exists()


def test_a_read_of_a_database_without_a_ledger_is_an_error(
    postgres_url: str, frameworks: FrameworkCatalogue
) -> None:
    before = catalogue(postgres_url)
    with pytest.raises(LedgerNotFound, match="run `ledger init`"):
        build_services(postgres_url, frameworks, access=Access.READ)
    assert catalogue(postgres_url) == before == []


def test_the_cli_s_reads_of_a_mistyped_path_fail_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for command in (("fingerprint",), ("verify",), ("judgements",), ("export",)):
        done = subprocess.run(
            [sys.executable, "-m", "entrypoints", "--database", f"sqlite:///{missing}", *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: there is no ledger at ")
        assert len(done.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_store_with_shared_seal_tables_is_read_as_it_is_and_adopted_by_a_migration(
    make_services: Callable[..., Services], database_url: str, frameworks: FrameworkCatalogue
) -> None:
    """Stores made before seal tables were per events table kept them as `seal_blocks`."""
    services = make_services()
    record(services.ledger, *journey())
    kept = services.ledger.fingerprint()
    attacker = Attacker(services)
    attacker.drop_guards()
    attacker.run(f"ALTER TABLE {attacker.blocks} RENAME TO seal_blocks")
    services.close()

    reader = build_services(database_url, frameworks, access=Access.READ)
    assert reader.ledger.fingerprint() == kept
    assert reader.ledger.verify(kept).intact
    reader.close()
    with pytest.raises(LedgerNotFound, match="out of date"):
        build_services(database_url, frameworks, access=Access.RECORD)

    migrated = make_services()
    assert migrated.ledger.schema_ready()
    assert Attacker(migrated).run(f"SELECT count(*) FROM {attacker.blocks}") == [(1,)]
    assert migrated.ledger.fingerprint() == kept
    record(migrated.ledger, progress("act-1", "2018-10-01", "red"))
    outcome = migrated.ledger.verify(kept)
    assert outcome.intact and outcome.fingerprint.count == kept.count + 1


def test_processes_starting_together_all_start(database_url: str) -> None:
    """Several `ledger init` at once on a new store, then reads while another process records:
    every one succeeds (PostgreSQL used to answer some with "deadlock detected")."""
    outcomes = finished([ledger_process(database_url, "init") for _ in range(3)])
    assert all(outcome.startswith("0 ") for outcome in outcomes), outcomes
    demo = ledger_process(database_url, "demo")
    readers = [ledger_process(database_url, "fingerprint") for _ in range(6)]
    readers += [ledger_process(database_url, "verify")]
    outcomes = finished([demo, *readers])
    assert all(outcome.startswith("0 ") for outcome in outcomes), outcomes
    assert all("deadlock" not in outcome for outcome in outcomes)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
def test_a_server_with_four_workers_boots_every_worker(postgres_url: str) -> None:
    """`ledger serve --workers 4`: the command makes the tables, then four workers start at once
    and none runs DDL (one in four servers used to fail to boot)."""
    port = _free_port()
    server = ledger_process(postgres_url, "serve", "--workers", "4", "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        answered = 0
        while time.monotonic() < deadline and answered < 8:
            try:
                if requests.get(f"http://127.0.0.1:{port}/sign-in", timeout=5).status_code == 200:
                    answered += 1
            except requests.ConnectionError:
                time.sleep(0.3)
        assert answered == 8, "the server did not answer"
        time.sleep(2)  # let every worker finish booting
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert stderr.count("Booting worker") == 4, stderr[-2000:]
    assert "Worker failed to boot" not in stderr
    assert "deadlock" not in stderr
