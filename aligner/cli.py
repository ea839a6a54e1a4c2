"""Command-line interface: parses options, calls the Python API, prints. No logic of its own."""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path

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
) -> None:
    """Split a PDF into paragraph blocks (headings, paragraphs, list items, footnotes, table cells...)."""
    from aligner.api import segment as segment_pdf
    from aligner.files import check_new_outputs
    from aligner.io.tabular import write_blocks

    def job():
        check_new_outputs([output], force)
        doc = segment_pdf(pdf, lang=lang.value if lang else None, progress=not quiet)
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
        None, "--cache-dir", help="Embedding cache folder (default: the user's cache directory)."
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the embedding cache."),
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
    from aligner.api import align as align_pdfs
    from aligner.api import write_alignment
    from aligner.files import check_new_outputs
    from aligner.io.tabular import ALIGNMENT_FORMATS

    def job():
        for path in output:
            if path.suffix.lower().lstrip(".") not in ALIGNMENT_FORMATS:
                raise AlignerError(f"cannot write {path}: use one of " + ", ".join("." + f for f in ALIGNMENT_FORMATS))
        check_new_outputs(output, force)
        result = align_pdfs(
            en_pdf, cy_pdf, cache_dir=cache_dir, use_cache=not no_cache, progress=not quiet, level=level.value
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
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing outputs."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars and no closing summary line."),
) -> None:
    """Report untranslated, added and suspicious content as a self-contained HTML page."""
    from aligner.api import build_report, load_alignment, write_report
    from aligner.files import check_new_outputs

    def job():
        if output is None and json_path is None:
            raise AlignerError("give -o report.html and/or --json summary.json")
        check_new_outputs([p for p in (output, json_path) if p is not None], force)
        alignment = load_alignment(inputs, cache_dir=cache_dir, progress=not quiet)
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


if __name__ == "__main__":  # pragma: no cover
    app()
