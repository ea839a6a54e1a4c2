"""A small deterministic embedder for testing alignment logic without the real model.

Each text is embedded from its "concept" words: tokens of the form ``c123`` (any language, so a
test writes an English and a Welsh paragraph about the same concepts) plus a little noise from the
other words, so unrelated texts are not identical. Cosines then behave like a real encoder's in
kind: translations close, unrelated texts far, merged texts in between. For logic only: accuracy is
always measured with the real model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

DIM = 64
CONCEPT = re.compile(r"\bc\d+\b")
NOISE_WEIGHT = 0.15
"""Share of a vector that comes from non-concept words (keeps unrelated texts apart but not orthogonal)."""


def _unit(token: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


class FakeEmbedder:
    """Implements the ``Embedder`` protocol; counts calls so tests can check caching."""

    name = "fake-concepts/v1"
    dim = DIM

    def __init__(self) -> None:
        self.calls = 0
        self.texts_seen = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_seen += len(texts)
        out = np.zeros((len(texts), DIM), np.float32)
        for i, text in enumerate(texts):
            concepts = CONCEPT.findall(text)
            others = [w for w in re.findall(r"\w+", text.lower()) if not CONCEPT.fullmatch(w)]
            v = sum((_unit(c) for c in concepts), np.zeros(DIM, np.float32))
            noise = sum((_unit(w) for w in others), np.zeros(DIM, np.float32))
            if np.linalg.norm(noise) > 0:
                v = v + NOISE_WEIGHT * max(1.0, float(np.linalg.norm(v))) * noise / np.linalg.norm(noise)
            out[i] = v / max(float(np.linalg.norm(v)), 1e-9)
        return out
