"""Command-line helpers shared by the benchmark scripts."""

from __future__ import annotations


def parse_option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` from ``--set`` as (key, int | float | bool | str): AlignParams overrides."""
    key, _, value = text.partition("=")
    for kind in (int, float):
        try:
            return key, kind(value)
        except ValueError:
            pass
    return key, {"true": True, "false": False}.get(value.lower(), value)
