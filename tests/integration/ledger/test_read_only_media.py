"""A ledger on read-only media (a backup disc, a read-only mount) verifies, exports and answers
every query, writing nothing; the same commands on a path with no ledger fail in one line."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.bootstrap import Access, build_services
from ledger.domain.frameworks import FrameworkCatalogue
from tests.factories import load_demo

ROOT = Path(__file__).resolve().parents[3]
QUERIES = [
    ("judgements", "--as-of", "2018-09-01", "--json"),
    ("recommendations", "--status", "all", "--json"),
    ("actions", "--as-of", "2019-01-01", "--json"),
    ("timeline", "--json"),
    ("indicators", "--json"),
]


class ReadOnlyFolder:
    """A folder whose files the ledger's process cannot write: a real read-only mount where
    this machine allows one (root with mount rights), else, for a user other than root, files
    without write permission."""

    def __init__(self, path: Path, mounted: bool) -> None:
        self.path = path
        self.mounted = mounted

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "entrypoints", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )


def _mount_read_only(source: Path, target: Path) -> bool:
    target.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    tmpfs = subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(target)], capture_output=True)
    if tmpfs.returncode != 0:
        return False
    for item in source.iterdir():
        shutil.copy2(item, target / item.name)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(target)], capture_output=True)
    if remount.returncode != 0:
        subprocess.run(["umount", str(target)], check=True)
        return False
    return True


@pytest.fixture
def backup(tmp_path: Path, frameworks: FrameworkCatalogue) -> Iterator[tuple[Path, ReadOnlyFolder]]:
    """The demo journey's ledger, and a read-only copy of it."""
    original = tmp_path / "live"
    original.mkdir()
    services = build_services(f"sqlite:///{original}/ledger.db", frameworks)
    load_demo(services.ledger)
    services.read_model.catch_up()
    services.close()
    copy = tmp_path / "backup-source"
    copy.mkdir()
    shutil.copy2(original / "ledger.db", copy / "ledger.db")
    assert (
        not (original / "ledger.db-wal").exists()
        or (original / "ledger.db-wal").stat().st_size == 0
    )
    target = tmp_path / "media"
    mounted = _mount_read_only(copy, target)
    if not mounted:
        if os.geteuid() == 0:
            pytest.skip("root without mount rights: no way to make read-only media here")
        shutil.copy2(copy / "ledger.db", target / "ledger.db")
        target.chmod(0o555)
        (target / "ledger.db").chmod(0o444)
    yield original / "ledger.db", ReadOnlyFolder(target, mounted)
    if mounted:
        subprocess.run(["umount", str(target)], check=True)
    else:
        target.chmod(0o755)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_ledger_on_read_only_media_verifies_exports_and_answers_queries(
    backup: tuple[Path, ReadOnlyFolder],
) -> None:
    original, media = backup
    url = f"sqlite:///{media.path}/ledger.db"
    live = f"sqlite:///{original}"
    before = _digest(media.path / "ledger.db")

    verified = media.run("--database", url, "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("verified: ledger intact")
    fingerprint = media.run("--database", url, "fingerprint")
    assert fingerprint.returncode == 0, fingerprint.stderr
    exported = media.run("--database", url, "export")
    assert exported.returncode == 0, exported.stderr
    assert fingerprint.stdout.strip() in exported.stdout.splitlines()[0]
    for query in QUERIES:
        answer = media.run("--database", url, *query)
        assert answer.returncode == 0, (query, answer.stderr)
        expected = media.run("--database", live, *query)
        assert answer.stdout == expected.stdout, query

    assert _digest(media.path / "ledger.db") == before
    assert sorted(p.name for p in media.path.iterdir()) == ["ledger.db"]


def test_reading_the_ledger_in_process_on_read_only_media_folds_in_memory(
    backup: tuple[Path, ReadOnlyFolder], frameworks: FrameworkCatalogue
) -> None:
    _, media = backup
    services = build_services(f"sqlite:///{media.path}/ledger.db", frameworks, access=Access.READ)
    try:
        assert services.storage.on_read_only_media
        assert services.ledger.verify().intact
        view = services.views.judgements("lancashire")
        assert view["overall"]["grade"] == "requires_improvement"
    finally:
        services.close()


def test_a_query_on_a_mistyped_path_is_an_error_not_a_new_ledger(tmp_path: Path) -> None:
    typo = tmp_path / "ledgr.db"
    done = subprocess.run(
        [sys.executable, "-m", "entrypoints", "--database", f"sqlite:///{typo}", "actions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: there is no ledger at {typo}")
    assert "`ledger init`" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not typo.exists()
