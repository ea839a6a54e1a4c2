"""Development and benchmark tooling: generated document pairs, development-data paths, baselines.

Not part of the installed package: tests and benchmarks import it from the source tree.
"""
