"""The sentence-transformers path for real, on tiny BERT models built here (no download): the CLI on the
demo pair, and an embedding cache that never mixes two models' or two prefixes' vectors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sentence_transformers")

from aligner.alignment.embed import embed_texts, make_embedder
from aligner.alignment.embed_st import SentenceTransformerEmbedder
from aligner.api import align
from aligner.errors import AlignerError

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
EN, CY = DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf"
TINY_HIDDEN, TINY_LAYERS, TINY_HEADS, TINY_FFN = 32, 2, 2, 64
TINY_MAX_TOKENS = 256
WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "on",
    "you",
    "your",
    "will",
    "be",
    "this",
    "that",
    "council",
    "report",
    "recall",
    "licence",
    "prison",
    "y",
    "yr",
    "ac",
    "i",
    "yn",
    "o",
    "mae",
    "bydd",
    "cyngor",
    "adroddiad",
    "adalw",
    "trwydded",
    "carchar",
    "chi",
    "eich",
]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CHARS = "abcdefghijklmnopqrstuvwxyzâêîôûŵŷ0123456789"
TEXTS = [
    "The council will publish its annual report in March.",
    "Bydd y cyngor yn cyhoeddi ei adroddiad blynyddol ym mis Mawrth.",
    "Chapter 2: Findings",
    "Pennod 2: Canfyddiadau",
]


def build_tiny_model(folder: Path, seed: int) -> Path:
    """A randomly initialised two-layer BERT with a small WordPiece vocabulary, as a sentence-transformers
    folder (mean pooling, normalised)."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Normalize, Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling
    from transformers import BertConfig, BertModel, BertTokenizer

    hf = folder / "hf"
    hf.mkdir(parents=True)
    punct = list(".,:;()–-’'\"/")
    vocab = SPECIALS + sorted(set(WORDS)) + list(CHARS) + punct + ["##" + c for c in CHARS]
    (hf / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(vocab_file=str(hf / "vocab.txt"), do_lower_case=True).save_pretrained(hf)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=TINY_HIDDEN,
        num_hidden_layers=TINY_LAYERS,
        num_attention_heads=TINY_HEADS,
        intermediate_size=TINY_FFN,
        max_position_embeddings=TINY_MAX_TOKENS,
    )
    BertModel(config).save_pretrained(hf)
    transformer = Transformer(str(hf), max_seq_length=TINY_MAX_TOKENS)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling, Normalize()], device="cpu").save(str(folder / "st"))
    shutil.rmtree(hf)
    return folder / "st"


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tiny-models")
    return build_tiny_model(root / "a", seed=0), build_tiny_model(root / "b", seed=1)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], check=False, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_align_and_report_with_a_local_model_through_the_cli(tiny_models, tmp_path):
    model = str(tiny_models[0])
    out, report = tmp_path / "pairs.tsv", tmp_path / "findings.json"
    common = [
        "--model",
        model,
        "--device",
        "cpu",
        "--batch-size",
        "8",
        "--cache-dir",
        str(tmp_path / "cache"),
    ]
    proc = run_cli("align", str(EN), str(CY), "-o", str(out), *common)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Loading weights" not in proc.stderr
    table = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert len(table) > 20 and {"en", "cy", "link", "score"} <= set(table.columns)
    settings = json.loads((tmp_path / "pairs.tsv.json").read_text(encoding="utf-8"))["settings"]
    assert str(Path(model).resolve()) in settings["model"]
    proc = run_cli("report", str(EN), str(CY), "--json", str(report), *common)
    assert proc.returncode == 0, proc.stderr
    assert report.is_file()


def test_two_models_in_one_cache_never_share_vectors(tiny_models, tmp_path):
    first, second = (make_embedder(str(m), device="cpu") for m in tiny_models)
    assert first.name != second.name
    cache = tmp_path / "cache"
    v1 = embed_texts(TEXTS, first, cache_dir=cache)
    v2 = embed_texts(TEXTS, second, cache_dir=cache)
    assert not np.allclose(v1, v2, atol=1e-3)
    assert np.allclose(v2, second.encode(TEXTS), atol=1e-5)
    assert np.array_equal(embed_texts(TEXTS, first, cache_dir=cache), v1)


def test_prefix_is_part_of_the_cache_key(tiny_models, tmp_path):
    plain = make_embedder(str(tiny_models[0]), device="cpu")
    prefixed = make_embedder(str(tiny_models[0]), device="cpu", prefix="passage: ")
    assert plain.name != prefixed.name and "passage: " in prefixed.name
    cache = tmp_path / "cache"
    embed_texts(TEXTS, plain, cache_dir=cache)
    vecs = embed_texts(TEXTS, prefixed, cache_dir=cache)
    assert np.allclose(vecs, prefixed.encode(TEXTS), atol=1e-5)
    assert not np.allclose(vecs, plain.encode(TEXTS), atol=1e-3)


def test_number_format_is_part_of_the_cache_key(tiny_models, tmp_path):
    full = make_embedder(str(tiny_models[0]), device="cpu")
    half = make_embedder(str(tiny_models[0]), device="cpu", dtype="bfloat16")
    assert half.name == full.name + "/dtype=bfloat16"
    cache = tmp_path / "cache"
    v_full = embed_texts(TEXTS, full, cache_dir=cache)
    v_half = embed_texts(TEXTS, half, cache_dir=cache)
    assert np.array_equal(v_half, half.encode(TEXTS))
    # products rounded to bfloat16's 8-bit mantissa: near the float32 vectors, never the same ones
    cosines = np.sum(v_full * v_half, axis=1)
    assert cosines.min() > 0.99 and not np.array_equal(v_full, v_half)


def test_float16_on_the_cpu_is_refused_at_once(tiny_models):
    with pytest.raises(AlignerError, match="float16 needs a GPU"):
        make_embedder(str(tiny_models[0]), device="cpu", dtype="float16")


def test_new_weights_in_the_same_folder_get_a_new_name(tiny_models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_models[0], folder)
    before = SentenceTransformerEmbedder(str(folder), device="cpu")
    cache = tmp_path / "cache"
    embed_texts(TEXTS, before, cache_dir=cache)
    shutil.copyfile(tiny_models[1] / "model.safetensors", folder / "model.safetensors")
    after = SentenceTransformerEmbedder(str(folder), device="cpu")
    assert after.name != before.name
    fresh = SentenceTransformerEmbedder(str(tiny_models[1]), device="cpu")
    assert np.allclose(embed_texts(TEXTS, after, cache_dir=cache), fresh.encode(TEXTS), atol=1e-5)


@pytest.mark.slow
def test_python_api_takes_the_model_by_keyword(tiny_models, tmp_path):
    # a fresh interpreter, the function taken first: importing the aligner.align module shadows it
    code = (
        "import aligner\n"
        "from aligner.alignment.embed import make_embedder\n"
        "api = aligner.align\n"
        "try:\n"
        "    api('en.pdf', 'cy.pdf', model='x', embedder=make_embedder())\n"
        "except aligner.AlignerError as exc:\n"
        "    print('refused:', exc)\n"
        f"result = api({str(EN)!r}, {str(CY)!r}, model={str(tiny_models[1])!r}, device='cpu',\n"
        f"             batch_size=4, cache_dir={str(tmp_path)!r})\n"
        "print(len(result.links), result.settings['model'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    refused, aligned = proc.stdout.strip().splitlines()
    assert refused.startswith("refused: give either embedder or model")
    n_links, name = aligned.split(" ", 1)
    assert int(n_links) > 20 and str(tiny_models[1].resolve()) in name


def test_a_warm_rerun_loads_no_model(tiny_models, tmp_path):
    # PDFs and vectors come from the cache: loading a torch model would cost seconds for nothing
    cache = tmp_path / "cache"
    cold = SentenceTransformerEmbedder(str(tiny_models[0]), device="cpu")
    first = align(EN, CY, embedder=cold, cache_dir=cache)
    assert cold._model is not None
    warm = SentenceTransformerEmbedder(str(tiny_models[0]), device="cpu")
    second = align(EN, CY, embedder=warm, cache_dir=cache)
    assert warm._model is None
    assert [(ln.en, ln.cy, ln.score) for ln in second.links] == [(ln.en, ln.cy, ln.score) for ln in first.links]
