"""Generated English/Welsh report PDF pairs with exact gold (see docs/synth.md)."""

from devtools.synth.generate import SynthPair, generate_pair

__all__ = ["SynthPair", "generate_pair"]
