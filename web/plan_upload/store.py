"""Uploaded trackers waiting between the check and the recording: kept on disk by the hash of
their bytes (every worker process sees them), so the file recorded is the file checked."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"^[0-9a-f]{64}$")
ABANDONED_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Upload:
    """An uploaded tracker (and its mapping file, if one was given)."""

    token: str
    file_name: str
    data: bytes
    sheet: str | None
    mapping: str | None


class UploadStore:
    """Uploads under `directory`, one folder each, named by the hash of what was uploaded."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, file_name: str, data: bytes, sheet: str | None, mapping: str | None) -> Upload:
        self._forget_abandoned()
        meta = {"file_name": file_name, "sheet": sheet, "mapping": mapping}
        digest = hashlib.sha256(data + json.dumps(meta, sort_keys=True).encode("utf-8"))
        token = digest.hexdigest()
        folder = self.directory / token
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "file").write_bytes(data)
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        return Upload(token, file_name, data, sheet, mapping)

    def get(self, token: str) -> Upload | None:
        if not _TOKEN.match(token or ""):
            return None
        folder = self.directory / token
        try:
            data = (folder / "file").read_bytes()
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Upload(token, meta["file_name"], data, meta["sheet"], meta["mapping"])

    def _forget_abandoned(self) -> None:
        """Uploads checked and never recorded are forgotten after a day."""
        if not self.directory.is_dir():
            return
        cutoff = time.time() - ABANDONED_AFTER_SECONDS
        for folder in self.directory.iterdir():
            with contextlib.suppress(OSError):
                if folder.is_dir() and folder.stat().st_mtime < cutoff:
                    self.discard(folder.name)

    def discard(self, token: str) -> None:
        if not _TOKEN.match(token or ""):
            return
        folder = self.directory / token
        for name in ("file", "meta.json"):
            (folder / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # another worker's copy of the same upload
            folder.rmdir()
