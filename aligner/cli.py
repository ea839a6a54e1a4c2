"""Command-line interface: parses options, calls the Python API, prints. No logic of its own."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

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
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or warnings summary."),
) -> None:
    """Align an English PDF with its Welsh translation."""
    from .align import align_pdfs
    from .export import ALIGNMENT_FORMATS, write_alignment
    from .files import check_new_outputs

    def job():
        for path in output:
            if path.suffix.lower().lstrip(".") not in ALIGNMENT_FORMATS:
                raise AlignerError(f"cannot write {path}: use one of " + ", ".join("." + f for f in ALIGNMENT_FORMATS))
        check_new_outputs(output, force)
        result = align_pdfs(en_pdf, cy_pdf, cache_dir=cache_dir, use_cache=not no_cache, progress=not quiet)
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
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
) -> None:
    """Report untranslated, added and suspicious content as a self-contained HTML page."""
    from .files import check_new_outputs
    from .report import build_report, load_alignment_for_report, write_html, write_json

    def job():
        if output is None and json_path is None:
            raise AlignerError("give -o report.html and/or --json summary.json")
        check_new_outputs([p for p in (output, json_path) if p is not None], force)
        alignment = load_alignment_for_report(inputs, cache_dir=cache_dir, progress=not quiet)
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


@app.command()
def pair(
    folder: Path = typer.Argument(..., help="Folder tree holding the English and Welsh PDFs."),
    output: Path = typer.Option(..., "-o", "--output",
                                help="Manifest CSV (id,en,cy,method); unpaired: MANIFEST.unpaired.csv."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list the unpaired files."),
) -> None:
    """Find English/Welsh PDF pairs by file name (or by language when names do not tell); write a manifest."""
    from .batch.pairing import find_pairs, unpaired_path, write_manifest
    from .files import check_new_outputs

    def job():
        check_new_outputs([output, unpaired_path(output)], force)
        result = find_pairs(folder)
        side = write_manifest(result, output)
        if not quiet:
            for u in result.unpaired:
                typer.echo(f"aligner: unpaired: {u.path}: {u.reason}", err=True)
        typer.echo(f"{len(result.pairs)} pairs, {len(result.unpaired)} unpaired -> {output} "
                   f"(unpaired: {side})", err=True)

    _run(job)


@app.command()
def batch(
    manifest: Path = typer.Argument(..., help="Manifest CSV: id,en,cy columns (`aligner pair` writes one)."),
    outdir: Path = typer.Option(..., "-o", "--output",
                                help="Output folder (pairs/, summary.csv, corpus.tmx, index.html)."),
    workers: Optional[int] = typer.Option(
        None, "--workers",
        help="Local worker processes (default: CPU count); with --scheduler: pairs in flight at once."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786) to run on a cluster."),
    fail_fast: bool = typer.Option(False, "--fail-fast", help="Stop at the first pair that fails."),
    force: bool = typer.Option(False, "--force", help="Redo pairs finished by an earlier run."),
    min_score: float = typer.Option(0.0, "--min-score",
                                    help="Leave pairs below this confidence out of the TMX files."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir",
                                             help="Embedding cache folder, shared by all workers."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or table."),
) -> None:
    """Align every pair of a manifest (resumable), with a summary table, a corpus TMX and an HTML index."""
    from .batch.runner import run_batch

    def job():
        return run_batch(manifest, outdir, workers=workers, scheduler=scheduler, fail_fast=fail_fast,
                         force=force, progress=not quiet, cache_dir=cache_dir, min_score=min_score)

    summary = _run(job)
    if not quiet:
        typer.echo(summary.format_table())
    for note in summary.notes:
        typer.echo(f"aligner: note: {note}", err=True)
    if summary.failed:
        typer.echo(f"aligner: {summary.failed} of {len(summary.rows)} pairs failed "
                   f"(see {summary.summary_csv})", err=True)
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
