"""Command-line interface: parses options, calls the Python API, prints. No logic of its own."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import AlignerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Align English and Welsh editions of a PDF report into a bilingual corpus (TSV, TMX) and check coverage.",
)


def _fail(message: str, code: int = 2) -> None:
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


ModelOption = Annotated[str, typer.Option(
    "--model", help="Embedding model: 'bundled' (multilingual-e5-small, 4-bit, CPU, no torch), or a "
    "sentence-transformers model name (from the Hugging Face cache) or local folder (needs the 'st' extra).")]
DeviceOption = Annotated[str | None, typer.Option(
    "--device", help="cpu, cuda or mps for a sentence-transformers model (default: the best available). "
    "The bundled model runs on the CPU only.")]
BatchSizeOption = Annotated[int | None, typer.Option(
    "--batch-size", min=1, help="Texts per model call (default: 32).")]
PrefixOption = Annotated[str | None, typer.Option(
    "--prefix", help="Text put before every block, e.g. 'passage: ' for E5 models (default: the model's own "
    "default prompt).")]


def _version_callback(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True, help="Show the version."),
) -> None:
    pass


@app.command()
def segment(
    pdf: Path = typer.Argument(..., help="PDF file to segment."),
    output: Path = typer.Option(..., "-o", "--output", help="Blocks file: .tsv or .jsonl."),
    debug: Optional[Path] = typer.Option(None, "--debug", help="Folder for page images with each block's box and kind drawn."),
    lang: Optional[str] = typer.Option(None, "--lang", help="en or cy (default: detected)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Split a PDF into paragraph blocks (headings, paragraphs, list items, footnotes, table rows...)."""
    from .export import write_blocks
    from .files import check_new_outputs
    from .segment import segment_pdf

    def job():
        check_new_outputs([output], force)
        doc = segment_pdf(pdf, lang=lang, progress=not quiet)
        write_blocks(doc.blocks, output)
        if debug is not None:
            from .debug import draw_blocks

            draw_blocks(pdf, doc.blocks, debug)
        if not quiet:
            typer.echo(f"{len(doc.blocks)} blocks from {doc.n_pages} pages -> {output}", err=True)

    _run(job)


@app.command()
def align(
    en_pdf: Path = typer.Argument(..., help="English PDF."),
    cy_pdf: Path = typer.Argument(..., help="Welsh PDF."),
    output: list[Path] = typer.Option(..., "-o", "--output", help="Output file(s): .tsv, .tmx, .csv, .jsonl. Repeat for several."),
    min_score: float = typer.Option(0.0, "--min-score", help="Leave pairs below this confidence out of the TMX (never out of the TSV)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder (default: the user's cache directory)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding cache."),
    model: ModelOption = "bundled",
    device: DeviceOption = None,
    batch_size: BatchSizeOption = None,
    prefix: PrefixOption = None,
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or warnings summary."),
) -> None:
    """Align an English PDF with its Welsh translation."""
    from .align import align_pdfs
    from .embed import DEFAULT_BATCH, make_embedder
    from .export import ALIGNMENT_FORMATS, write_alignment
    from .files import check_new_outputs

    def job():
        for path in output:
            if path.suffix.lower().lstrip(".") not in ALIGNMENT_FORMATS:
                raise AlignerError(f"cannot write {path}: use one of " + ", ".join("." + f for f in ALIGNMENT_FORMATS))
        check_new_outputs(output, force)
        embedder = make_embedder(model, device=device, batch_size=batch_size or DEFAULT_BATCH, prefix=prefix)
        result = align_pdfs(en_pdf, cy_pdf, embedder=embedder, cache_dir=cache_dir, use_cache=not no_cache,
                            progress=not quiet)
        for warning in result.settings.get("warnings", []):
            typer.echo(f"aligner: warning: {warning}", err=True)
        for path in output:
            write_alignment(result, path, min_score=min_score)
        if not quiet:
            counts: dict[str, int] = {}
            for link in result.links:
                counts[link.kind] = counts.get(link.kind, 0) + 1
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            typer.echo(f"{len(result.links)} links ({summary}) -> {', '.join(map(str, output))}", err=True)

    _run(job)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold TSV with en and cy columns in document order."),
    system: Path = typer.Argument(..., help="System TSV (aligner output)."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Score an alignment against gold, independently of segmentation."""
    from .evaluate import evaluate_files

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
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML review page."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write a JSON summary of the findings."),
    fail_under: Optional[float] = typer.Option(None, "--fail-under", help="Exit 1 when the aligned share falls below this (0..1)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    model: ModelOption = "bundled",
    device: DeviceOption = None,
    batch_size: BatchSizeOption = None,
    prefix: PrefixOption = None,
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Report untranslated, added and suspicious content as a self-contained HTML page."""
    from .embed import DEFAULT_BATCH, make_embedder
    from .files import check_new_outputs
    from .report import build_report, load_alignment_for_report, write_html, write_json

    def job():
        if output is None and json_path is None:
            raise AlignerError("give -o report.html and/or --json summary.json")
        check_new_outputs([p for p in (output, json_path) if p is not None], force)
        embedder = make_embedder(model, device=device, batch_size=batch_size or DEFAULT_BATCH, prefix=prefix)
        alignment = load_alignment_for_report(inputs, cache_dir=cache_dir, progress=not quiet,
                                              embedder=embedder)
        rep = build_report(alignment)
        if output is not None:
            write_html(rep, alignment, output)
        if json_path is not None:
            write_json(rep, json_path)
        if not quiet:
            typer.echo(rep.summary_line(), err=True)
        return rep

    rep = _run(job)
    if fail_under is not None and rep.aligned_share < fail_under:
        typer.echo(
            f"aligner: aligned coverage {rep.aligned_share:.3f} is below --fail-under {fail_under:.3f}", err=True
        )
        raise typer.Exit(1)


model_app = typer.Typer(no_args_is_help=True, help="The embedding model: export the bundled one for "
                        "sentence-transformers and GPUs.")
app.add_typer(model_app, name="model")


@model_app.command("export")
def model_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write (must be empty unless --force).")],
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Write the bundled model as a float32 sentence-transformers folder, for --model DIR (e.g. on a GPU)."""
    from .model_export import export_bundled

    def job():
        out = export_bundled(directory, force=force)
        if not quiet:
            typer.echo(f"bundled model (multilingual-e5-small, float32) -> {out}; use it with --model {out}",
                       err=True)

    _run(job)


if __name__ == "__main__":  # pragma: no cover
    app()
