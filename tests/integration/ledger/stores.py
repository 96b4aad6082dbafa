"""A second store on the backend a test runs on (for copying from one ledger to another)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.integration.ledger.schema_catalogue import postgres_connection


@pytest.fixture
def another_store(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty store beside the test's own: another SQLite file, or another schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/another.db"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with postgres_connection(database_url) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield urlunsplit(urlsplit(database_url)._replace(query=f"schema={schema}"))
    with postgres_connection(database_url) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
