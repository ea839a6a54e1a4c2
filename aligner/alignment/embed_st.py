"""Embeddings from any sentence-transformers model (optional extra ``aligner[st]``), e.g. on a GPU.

Kept apart from ``aligner.alignment.embed`` so that the default (bundled) path never imports torch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from aligner.alignment.embed import DEFAULT_BATCH, DEFAULT_DTYPE, _normalise, check_dtype
from aligner.errors import AlignerError

DEVICES = ("cpu", "cuda", "mps")
# Texts handed to sentence-transformers per call, in batches: it sorts each call's texts by length, so a
# larger call pads less on a GPU; the embedding cache is written after every call.
ST_BATCHES_PER_CALL = 8


class SentenceTransformerEmbedder:
    """Any sentence-transformers model (optional extra ``aligner[st]``): a local folder or a cached hub model.

    The model is found at once, without the network (a missing one fails before any slow work), and
    loaded on first use: torch is imported only to check a GPU ``device`` or when texts need embedding.
    ``prefix`` is put before every text; None means the model's own default prompt (``"passage: "`` for
    the exported bundled model). ``dtype`` (see ``aligner.alignment.embed.DTYPES``) runs the matrix
    products under torch autocast; the weights stay as stored. ``name`` holds the model's identity, the
    prefix and a dtype other than float32, so the cache never mixes vectors of two models, two prefixes or
    two number formats.
    """

    def __init__(
        self,
        model_name: str,
        prefix: str | None = None,
        device: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        dtype: str = DEFAULT_DTYPE,
    ) -> None:
        from importlib.metadata import version

        from aligner.alignment.model_source import default_prompt, find_model

        self.source = find_model(model_name)
        self.prefix = default_prompt(self.source.folder) if prefix is None else prefix
        check_dtype(dtype)
        self.name = (
            f"sentence-transformers-{version('sentence-transformers')}/{self.source.identity}/prefix={self.prefix!r}"
        )
        if dtype != DEFAULT_DTYPE:  # float32 names stay as they were: their cached vectors stay valid
            self.name += f"/dtype={dtype}"
        self.dtype = dtype
        self.device = _check_device(device)
        if self.device is not None:  # else checked once the model is on the device torch picked
            _check_dtype_on(self.device.split(":")[0], dtype)
        self.batch_size = batch_size
        self.texts_per_call = batch_size * ST_BATCHES_PER_CALL
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            with _quiet_loading():
                self._model = SentenceTransformer(str(self.source.folder), device=self.device, local_files_only=True)
            dim_of = (
                getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
            )
            self._dim = int(dim_of())
            _check_dtype_on(self._model.device.type, self.dtype)
        return self._model

    @property
    def dim(self) -> int:
        self._load()
        assert self._dim is not None
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with _autocast(model.device.type, self.dtype):
            vectors = model.encode(
                list(texts),
                prompt=self.prefix,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return _normalise(vectors)


def _check_dtype_on(device_type: str, dtype: str) -> None:
    """One line for float16 on a CPU (no CPU computes in it at speed)."""
    if dtype == "float16" and device_type == "cpu":
        raise AlignerError("--dtype float16 needs a GPU; on the CPU use bfloat16")


@contextmanager
def _autocast(device_type: str, dtype: str) -> Iterator[None]:
    """Matrix products in ``dtype`` on ``device_type`` (nothing changes for float32)."""
    if dtype == DEFAULT_DTYPE:
        yield
        return
    import torch

    with torch.autocast(device_type=device_type, dtype=getattr(torch, dtype)):
        yield


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """No weight-loading progress bar or prompt notice on stderr while a model loads; restored after."""
    import logging

    loggers = [logging.getLogger(n) for n in ("sentence_transformers", "transformers")]
    levels = [lg.level for lg in loggers]
    from transformers.utils import logging as hf_logging

    bar = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
        if bar:
            hf_logging.enable_progress_bar()


def _check_device(device: str | None) -> str | None:
    """A device torch has here, else one line now; None lets sentence-transformers pick the best one."""
    if device is None:
        return None
    kind = device.split(":")[0]
    if kind not in DEVICES:
        raise AlignerError(f"unknown device '{device}': use one of {', '.join(DEVICES)}")
    if kind == "cpu":
        return device
    import torch

    if kind == "cuda" and not torch.cuda.is_available():
        raise AlignerError(f"--device {device}: torch {torch.__version__} sees no CUDA GPU here")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise AlignerError(f"--device {device}: torch {torch.__version__} has no Apple MPS device here")
    return device
