"""Stage 2, segmentation: page words -> typed paragraph blocks in reading order (a `Document`).

Owns layout (running text, columns, panels), lines, paragraph rules, tables, text normalisation,
numbering labels, language identification and sentence splitting.
"""
