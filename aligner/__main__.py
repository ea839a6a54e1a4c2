"""``python -m aligner`` runs the CLI."""

from aligner.cli import run

run()
