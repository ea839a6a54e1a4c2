"""Sentence splitting on real English and Welsh news text (NTREX-128), ours against a naive regex.

NTREX gives one sentence per line (line i of the English file is line i of the Welsh one) and
``DOCUMENT_IDS.tsv`` groups the lines into 123 documents. Per document and language the lines are joined
with single spaces and split back; a boundary is the character offset where a sentence starts (other
than the first). Precision, recall and F1 are micro-averaged over documents, per language.

Two protocols:

* ``joined``: the whole document is one text. Headlines and fragments that end without punctuation
  ("Welsh AMs worried about 'looking like muppets'") are gold boundaries no punctuation-based splitter
  can find, so recall here has a ceiling (printed as ``reach``).
* ``blocks``: a line that ends without terminal punctuation ends a block, and blocks are split
  separately, as the PDF segmenter hands headings to the splitter as their own blocks. This is the
  protocol the 0.98 target and the test use.

Gold lines that hold two sentences (the Welsh translation often merges or splits sentences) are
reported rather than corrected; they count as our false positives.

Usage: python benchmarks/sentence_split_bench.py [--data DIR] [--worst 5] [--show 3]
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from aligner.segmentation.sentences import regex_sentence_spans, sentence_spans

REPO = Path(__file__).resolve().parents[1]
FILES = {"en": "newstest2019-ref.eng-GB.txt", "cy": "newstest2019-ref.cym.txt"}
PROTOCOLS = ("joined", "blocks")
CONTEXT_CHARS = 40
"""Characters either side of an error shown in the worst-document listing."""
_PUNCTUATED_END = re.compile(r"[.!?…][\"'”’»)\]]*$")

Splitter = Callable[[str, str], list[tuple[int, int]]]
SPLITTERS: dict[str, Splitter] = {
    "ours": sentence_spans,
    "regex": lambda text, _lang: regex_sentence_spans(text),
}


def shared_data_dir() -> Path:
    """``$ALIGNER_SHARED_DATA``, else ``../shared/data`` beside the repository."""
    env = os.environ.get("ALIGNER_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def ntrex_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or shared_data_dir()) / "parallel" / "ntrex128"


def load_documents(data_dir: Path | None = None) -> dict[str, list[tuple[str, list[str]]]]:
    """Language -> [(document id, its lines in order)]."""
    root = ntrex_dir(data_dir)
    ids = (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[tuple[str, list[str]]]] = {}
    for lang, name in FILES.items():
        lines = [line.strip() for line in (root / name).read_text(encoding="utf-8").splitlines()]
        if len(lines) != len(ids):
            raise ValueError(f"{name}: {len(lines)} lines but {len(ids)} document ids")
        pairs = zip(ids, lines, strict=True)
        docs[lang] = [(doc, [line for _, line in group if line]) for doc, group in groupby(pairs, key=lambda p: p[0])]
    return docs


def blocks(lines: list[str], protocol: str) -> Iterator[list[str]]:
    """The texts the splitter sees for one document (see the module docstring)."""
    if protocol == "joined":
        yield lines
        return
    block: list[str] = []
    for line in lines:
        block.append(line)
        if not _PUNCTUATED_END.search(line):
            yield block
            block = []
    if block:
        yield block


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unreachable: int = 0  # gold boundaries after a line without terminal punctuation
    errors: list[tuple[str, str]] = field(default_factory=list)  # (FP/FN, context)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.unreachable += other.unreachable

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _context(text: str, at: int) -> str:
    return f"{text[max(0, at - CONTEXT_CHARS) : at]}|{text[at : at + CONTEXT_CHARS]}"


def score_document(lines: list[str], lang: str, splitter: Splitter, protocol: str) -> Score:
    score = Score()
    for block in blocks(lines, protocol):
        text = " ".join(block)
        gold: set[int] = set()
        offset = 0
        for line in block[:-1]:
            offset += len(line) + 1
            gold.add(offset)
            if not _PUNCTUATED_END.search(line):
                score.unreachable += 1
        predicted = {a for a, _ in splitter(text, lang)[1:]}
        score.tp += len(gold & predicted)
        score.fp += len(predicted - gold)
        score.fn += len(gold - predicted)
        score.errors += [("FP", _context(text, at)) for at in sorted(predicted - gold)]
        score.errors += [("FN", _context(text, at)) for at in sorted(gold - predicted)]
    return score


def evaluate(
    docs: dict[str, list[tuple[str, list[str]]]],
    splitter: Splitter,
    protocol: str,
) -> dict[str, tuple[Score, list[tuple[str, Score]]]]:
    """Language -> (micro-averaged score, per-document scores)."""
    out: dict[str, tuple[Score, list[tuple[str, Score]]]] = {}
    for lang, documents in docs.items():
        total = Score()
        per_doc = []
        for doc_id, lines in documents:
            s = score_document(lines, lang, splitter, protocol)
            total.add(s)
            per_doc.append((doc_id, s))
        out[lang] = (total, per_doc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: see module doc)")
    parser.add_argument("--worst", type=int, default=5, help="worst documents to list per language")
    parser.add_argument("--show", type=int, default=3, help="errors to show per worst document")
    parser.add_argument("--errors", action="store_true", help="list every error of ours (blocks protocol)")
    args = parser.parse_args()

    docs = load_documents(args.data)
    results: dict[tuple[str, str], dict[str, tuple[Score, list[tuple[str, Score]]]]] = {}
    seconds: dict[tuple[str, str], float] = {}
    for protocol in PROTOCOLS:
        for name, splitter in SPLITTERS.items():
            t0 = time.perf_counter()
            results[protocol, name] = evaluate(docs, splitter, protocol)
            seconds[protocol, name] = time.perf_counter() - t0

    for lang in FILES:
        n_docs = len(docs[lang])
        n_lines = sum(len(lines) for _, lines in docs[lang])
        print(f"\n== {lang}: {n_docs} documents, {n_lines} gold sentences")
        print(
            f"{'protocol':8} {'splitter':8} {'gold':>5} {'pred':>5} {'tp':>5} {'fp':>4} {'fn':>4} "
            f"{'P':>6} {'R':>6} {'F1':>6} {'reach':>6}"
        )
        for protocol in PROTOCOLS:
            for name in SPLITTERS:
                total, _ = results[protocol, name][lang]
                gold = total.tp + total.fn
                reach = (gold - total.unreachable) / gold if gold else 1.0
                print(
                    f"{protocol:8} {name:8} {gold:5d} {total.tp + total.fp:5d} {total.tp:5d} {total.fp:4d} "
                    f"{total.fn:4d} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f} {reach:6.3f}"
                )
        joined, _ = results["joined", "ours"][lang]
        ours, per_doc = results["blocks", "ours"][lang]
        print(
            f"gold lines ending without punctuation (headlines, fragments; unreachable when joined): "
            f"{joined.unreachable}"
        )
        print(f"gold lines we split (false positives; mostly two sentences in one NTREX line): {ours.fp}")
        print(f"gold boundaries we miss (blocks): {ours.fn}")
        imperfect = [d for d in per_doc if d[1].fp + d[1].fn]
        worst = sorted(imperfect, key=lambda d: (d[1].f1, -(d[1].fp + d[1].fn)))[: args.worst]
        print(f"-- worst documents ({lang}, ours, blocks): F1 fp fn, then errors (| = offset)")
        for doc_id, s in worst:
            print(f"  {doc_id:28} {s.f1:6.3f} {s.fp:3d} {s.fn:3d}")
            for kind, ctx in s.errors[: args.show]:
                print(f"      {kind} {ctx!r}")
    if args.errors:
        for lang in FILES:
            print(f"\n-- every error ({lang}, ours, blocks)")
            for doc_id, s in results["blocks", "ours"][lang][1]:
                for kind, ctx in s.errors:
                    print(f"  {doc_id:28} {kind} {ctx!r}")
    print(
        "\nseconds (all documents, both languages): "
        + ", ".join(f"{p}/{n} {seconds[p, n]:.2f}" for p in PROTOCOLS for n in SPLITTERS)
    )


if __name__ == "__main__":
    main()
