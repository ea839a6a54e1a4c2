"""Stage 4, input/output of alignments: TSV/CSV/JSONL, TMX, provenance, and the one alignment reader."""
