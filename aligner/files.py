"""Files every stage shares: safe output writing (never overwrite without force, never leave a
half-written file) and the cache folder."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aligner.errors import OutputExistsError


def default_cache_dir() -> Path:
    """``$ALIGNER_CACHE_DIR`` if set, else the platform's user cache folder (embeddings, segmented PDFs)."""
    env = os.environ.get("ALIGNER_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("aligner"))


def check_new_outputs(paths: Iterable[str | os.PathLike], force: bool) -> None:
    """Raise before any work is done if an output exists and force is off."""
    for p in paths:
        if Path(p).exists() and not force:
            raise OutputExistsError(f"{p} already exists (use --force to overwrite)")


@contextmanager
def atomic_output(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator:
    """Open a temporary file beside ``path``; rename it into place only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        text = "b" not in mode
        with open(tmp, mode, encoding=encoding if text else None, newline="" if text else None) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    """mkstemp creates 0600 files; outputs should get the permissions an ordinary open() would give."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
