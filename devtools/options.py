"""Command-line helpers shared by the benchmark scripts."""

from __future__ import annotations

import argparse

from aligner.alignment.embed import BUNDLED, DEFAULT_DTYPE, DTYPES, Embedder, make_embedder


def parse_option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` from ``--set`` as (key, int | float | bool | str): AlignParams overrides."""
    key, _, value = text.partition("=")
    for kind in (int, float):
        try:
            return key, kind(value)
        except ValueError:
            pass
    return key, {"true": True, "false": False}.get(value.lower(), value)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """``--model``, ``--device`` and ``--dtype``: the embedder a benchmark measures (default: the bundled one)."""
    parser.add_argument("--model", default=BUNDLED, help="bundled, or a sentence-transformers model name or folder")
    parser.add_argument("--device", help="for --model other than bundled: cpu, cuda, mps (default: best available)")
    parser.add_argument("--dtype", default=DEFAULT_DTYPE, choices=DTYPES, help="for --model other than bundled")


def embedder_from(args: argparse.Namespace) -> Embedder:
    """The embedder that ``add_model_options`` chose."""
    return make_embedder(args.model, device=args.device, dtype=args.dtype)


def synth_engines() -> tuple[str, ...]:
    """The generator's layout engines (devtools.synth.generate.ENGINES), imported only when a
    benchmark builds its arguments: the generator needs the bench extras."""
    from devtools.synth.generate import ENGINES

    return ENGINES
