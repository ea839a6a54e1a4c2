"""Stage 3, alignment: embeddings, structural cues, scoring, anchored DP, verification, confidence.

`AlignParams` (aligner.alignment.params) holds every number that changes a result.
"""
