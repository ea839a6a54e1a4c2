"""Where a sentence-transformers model's files are, found without the network, and what to call them.

Why offline: the aligner runs where there is no internet, and a hub lookup there hangs on timeouts
before failing; a model must be a local folder or already in the Hugging Face cache, and anything
else fails at once with one line saying how to get it.
Why an identity: the embedding cache is keyed by model name, so the name must change whenever the
vectors could: a hub model is named by its snapshot commit, a local folder by its resolved path and
a fingerprint of its files' names, sizes and modification times.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import NamedTuple

from aligner.errors import AlignerError

ST_EXTRA_HINT = "pip install 'aligner[st]'"
HUB_ORGANISATION = "sentence-transformers"  # short names such as "LaBSE" live under this organisation
FINGERPRINT_BYTES = 8
MODEL_MARKERS = ("modules.json", "config.json")


class ModelSource(NamedTuple):
    """A model folder on this machine and a string that changes whenever its files do."""

    folder: Path
    identity: str


def require_sentence_transformers() -> None:
    """Fail with the install hint before any slow work, without importing torch."""
    if importlib.util.find_spec("sentence_transformers") is None:
        raise AlignerError(f"sentence-transformers is not installed (needed for --model): {ST_EXTRA_HINT}")


def not_found_message(name: str) -> str:
    return (
        f"model '{name}' is not a local folder and not in the Hugging Face cache; download it on a "
        f"machine with internet (hf download {name}, or huggingface-cli download {name}) and copy the "
        f"cache here, or pass a local folder"
    )


def folder_fingerprint(folder: Path) -> str:
    """Hash of every file's relative path, size and mtime: changes when the weights or configs do."""
    digest = hashlib.blake2b(digest_size=FINGERPRINT_BYTES)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _cached_snapshot(repo_id: str) -> Path | None:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except (OSError, ValueError):  # not cached, or not a valid repository id
        return None


def find_model(name: str) -> ModelSource:
    """A local folder, else the cached snapshot of a hub model (``LaBSE`` also tries
    ``sentence-transformers/LaBSE``)."""
    require_sentence_transformers()
    path = Path(name).expanduser()
    if path.is_dir():
        folder = path.resolve()
        if not any((folder / marker).is_file() for marker in MODEL_MARKERS):
            raise AlignerError(
                f"model folder {folder} has neither modules.json nor config.json: "
                "not a sentence-transformers or Hugging Face model"
            )
        return ModelSource(folder, f"{folder}#{folder_fingerprint(folder)}")
    candidates = [name] if "/" in name else [name, f"{HUB_ORGANISATION}/{name}"]
    for repo_id in candidates:
        snapshot = _cached_snapshot(repo_id)
        if snapshot is not None:
            return ModelSource(snapshot, f"{repo_id}@{snapshot.name}")
    raise AlignerError(not_found_message(name))


def default_prompt(folder: Path) -> str:
    """The prompt sentence-transformers would put before every text by default ("" when none)."""
    config_path = folder / "config_sentence_transformers.json"
    if not config_path.is_file():
        return ""
    config = json.loads(config_path.read_text(encoding="utf-8"))
    prompt_name = config.get("default_prompt_name")
    return (config.get("prompts") or {}).get(prompt_name, "") if prompt_name else ""
