"""Adapter artifacts: peft ``save_pretrained`` directories, stored immutably under a unique key.

Writes are atomic: the trainer saves into a scratch directory on the store's own filesystem, and
``commit_dir`` renames it into place, so a reader (vLLM, the evaluator) never sees half a directory.
``ArtifactStore`` is the interface an fsspec-backed store (S3 and friends) implements later: it only
has to upload in ``commit_dir`` and download into a local cache in ``local_path``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from pathlib import Path


def directory_checksum(path: Path) -> str:
    """SHA-256 over every file's relative name and bytes, in a stable order."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        digest.update(b"\0")
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


class ArtifactStore(ABC):
    @abstractmethod
    def scratch_dir(self, owner: str = "") -> Path:
        """A fresh local directory to write a new artifact into; ``owner`` (``job-12``) names
        it, so that a restart of that run finds what a dead worker left."""

    @abstractmethod
    def commit_dir(self, scratch: Path, prefix: str) -> tuple[str, str]:
        """Move a finished scratch directory into the store; return (key, checksum)."""

    @abstractmethod
    def local_path(self, key: str) -> Path:
        """A local directory holding the artifact (what peft and vLLM read)."""

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def keys(self) -> set[str]: ...

    @abstractmethod
    def discard_leftovers(self, owner: str, prefix: str, referenced: set[str]) -> list[str]:
        """Delete the scratch directories of ``owner`` and the artifacts under ``prefix`` that
        no row references: what a run's dead worker left behind."""

    def verify(self, key: str, checksum: str) -> bool:
        return directory_checksum(self.local_path(key)) == checksum

    def verified_path(self, key: str, checksum: str) -> Path:
        """The artifact's local directory, after checking its bytes against the checksum stored
        when it was committed: a truncated or altered adapter is never handed to the model
        server."""
        path = self.local_path(key)
        if not path.is_dir() or directory_checksum(path) != checksum:
            raise CorruptArtifact(key)
        return path


class CorruptArtifact(OSError):
    """An artifact missing, or whose bytes no longer match its stored checksum."""

    def __init__(self, key: str) -> None:
        super().__init__(f"artifact {key} is missing or does not match its checksum")
        self.key = key


class LocalArtifactStore(ArtifactStore):
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._scratch_root = self.root / ".scratch"
        self._scratch_root.mkdir(parents=True, exist_ok=True)

    def scratch_dir(self, owner: str = "") -> Path:
        return Path(tempfile.mkdtemp(dir=self._scratch_root, prefix=f"{owner}-" if owner else None))

    def commit_dir(self, scratch: Path, prefix: str) -> tuple[str, str]:
        if not (scratch / "adapter_config.json").is_file():
            raise ValueError(f"{scratch} is not a saved adapter (no adapter_config.json)")
        checksum = directory_checksum(scratch)
        key = f"{prefix.strip('/')}/{uuid.uuid4().hex}"
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(scratch, target)
        return key, checksum

    def local_path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"artifact key {key!r} escapes the store")
        return path

    def delete(self, key: str) -> None:
        shutil.rmtree(self.local_path(key), ignore_errors=True)

    def keys(self) -> set[str]:
        return {
            p.parent.relative_to(self.root).as_posix()
            for p in self.root.rglob("adapter_config.json")
            if self._scratch_root not in p.parents
        }

    def discard_leftovers(self, owner: str, prefix: str, referenced: set[str]) -> list[str]:
        removed = []
        under = prefix.strip("/") + "/"
        for key in sorted(self.keys() - referenced):
            if key.startswith(under):
                self.delete(key)
                removed.append(key)
        for scratch in self._scratch_root.glob(f"{owner}-*"):
            shutil.rmtree(scratch, ignore_errors=True)
            removed.append(str(scratch))
        return removed

    def sweep(self, referenced: set[str], min_age_s: float = 3600.0) -> list[str]:
        """Delete artifacts no database row references, and stale scratch directories.

        Only things older than ``min_age_s`` go, so a job committing right now is never raced.
        """
        now, removed = time.time(), []
        for key in self.keys() - referenced:
            if now - self.local_path(key).stat().st_mtime > min_age_s:
                self.delete(key)
                removed.append(key)
        for scratch in self._scratch_root.iterdir():
            if now - scratch.stat().st_mtime > min_age_s:
                shutil.rmtree(scratch, ignore_errors=True)
                removed.append(str(scratch))
        return removed


def get_artifact_store() -> ArtifactStore:
    from core.settings import get_settings

    return LocalArtifactStore(get_settings().resolved_artifact_dir)
