"""Find the English/Welsh PDF pairs in a folder tree, and read/write them as a manifest CSV.

Publishers mark the language in the file name in many ways: ``report.en.pdf``/``report.cy.pdf``,
``report-cy.pdf`` next to an unmarked ``report.pdf``, ``_welsh``, ``-English``, ``cymraeg``,
``CY_``/``EN_`` prefixes, ``-w``/``-e`` suffixes, or ``en/`` and ``cy/`` folders. Each file gets every
reading of its name (which token is the language marker, what name is left once it is removed),
each reading ranked by how reliable that convention is; two files whose remaining names match and
whose languages complement each other are a candidate pair, and candidates are accepted best rank
first, each file used once. A marked Welsh file pairs with an unmarked file of the same name (the
English edition is often left unmarked); an unmarked file is only taken as the Welsh edition when its
text says so.

Files the names leave over are grouped by folder and their language is read from the first pages
(an injected ``detect_language`` callable); a folder left with one English and one Welsh file pairs
them (method ``language-detection``). Everything else is listed as unpaired with a reason, never
dropped.

Manifest format (``write_manifest``): ``manifest.csv`` with columns ``id,en,cy,method``, paths
relative to the manifest's folder, one row per pair; the unpaired files go to the sidecar
``manifest.unpaired.csv`` with columns ``path,reason``. A sidecar rather than a second section keeps
the manifest one plain table that any CSV reader (and a hand edit) handles.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import pipeline
from .pipeline import AlignerError, InputError

Lang = Literal["en", "cy"]
DetectFn = Callable[[Path], "str | None"]

MANIFEST_COLUMNS = ["id", "en", "cy", "method"]
UNPAIRED_COLUMNS = ["path", "reason"]
UNPAIRED_SUFFIX = ".unpaired.csv"

EN_CODES = frozenset({"en", "eng"})
CY_CODES = frozenset({"cy", "cym"})
EN_WORDS = frozenset({"english", "saesneg"})
CY_WORDS = frozenset({"welsh", "cymraeg"})
EN_LETTERS = frozenset({"e"})
CY_LETTERS = frozenset({"w"})
BILINGUAL_WORDS = frozenset({"bilingual", "dwyieithog"})

# Rank of each naming rule: lower is more reliable. A pair's cost is the sum of its two files' ranks.
RULE_RANK: dict[str, int] = {
    "code-suffix": 0,  # report-cy, report_cy, report.cy
    "code-prefix": 1,  # CY_report, en-report
    "folder": 2,  # cy/report.pdf, english/report.pdf
    "language-word": 3,  # report-Welsh, report_english, cymraeg-report
    "code-infix": 4,  # report.cy.final
    "language-word-infix": 5,
    "letter-suffix": 6,  # report-w / report-e
    "unmarked": 9,
}
UNMARKED_WELSH_PENALTY = 1
"""An unmarked Welsh edition next to a marked English one is rarer than the other way round."""

_COMPLEMENTARY = {("en", "cy"), (None, "cy"), ("en", None)}
"""(English side, Welsh side) languages that can pair; None is an unmarked name."""
_SEPARATORS = re.compile(r"[\s._\-]+")
_DIGITS = re.compile(r"\d+")
_ID_UNSAFE = re.compile(r"[^a-z0-9._-]+")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Pair:
    """One row of the manifest."""

    id: str
    en: Path
    cy: Path
    method: str


@dataclass(frozen=True)
class Unpaired:
    path: Path
    reason: str


@dataclass
class PairingResult:
    root: Path
    pairs: list[Pair]
    unpaired: list[Unpaired]


@dataclass(frozen=True)
class _Reading:
    """One way to read a file name: its language (None = unmarked), the name left, and the rule."""

    file: Path
    lang: Lang | None
    folder: tuple[str, ...]
    key: str
    rule: str

    @property
    def rank(self) -> int:
        return RULE_RANK[self.rule]


def _tokens(stem: str) -> list[str]:
    return [t for t in _SEPARATORS.split(stem.lower()) if t]


def _marker(token: str, first: bool, last: bool) -> tuple[Lang, str] | None:
    """Language and rule if ``token`` marks a language at that position."""
    if token in EN_CODES or token in CY_CODES:
        lang: Lang = "en" if token in EN_CODES else "cy"
        return lang, "code-suffix" if last else "code-prefix" if first else "code-infix"
    if token in EN_WORDS or token in CY_WORDS:
        lang = "en" if token in EN_WORDS else "cy"
        return lang, "language-word" if first or last else "language-word-infix"
    if last and not first and (token in EN_LETTERS or token in CY_LETTERS):
        return ("en" if token in EN_LETTERS else "cy"), "letter-suffix"
    return None


def _folder_language(name: str) -> Lang | None:
    token = name.lower()
    if token in EN_CODES or token in EN_WORDS:
        return "en"
    if token in CY_CODES or token in CY_WORDS:
        return "cy"
    return None


def readings(path: Path, root: Path) -> list[_Reading]:
    """Every reading of one file's name, best first; the last one is always 'unmarked'."""
    rel = path.relative_to(root)
    folder = tuple(p.lower() for p in rel.parts[:-1])
    tokens = _tokens(path.stem)
    out: list[_Reading] = []
    for i, tok in enumerate(tokens):
        found = _marker(tok, i == 0, i == len(tokens) - 1)
        rest = tokens[:i] + tokens[i + 1 :]
        if found:  # the rest may be empty: report/en.pdf and report/cy.pdf
            out.append(_Reading(path, found[0], folder, "-".join(rest), found[1]))
    for depth in range(len(folder) - 1, -1, -1):  # nearest language folder
        lang = _folder_language(folder[depth])
        if lang:
            out.append(_Reading(path, lang, folder[:depth] + folder[depth + 1 :], "-".join(tokens), "folder"))
            break
    out.sort(key=lambda r: r.rank)
    out.append(_Reading(path, None, folder, "-".join(tokens), "unmarked"))
    return out


def _method(en: _Reading, cy: _Reading) -> str:
    if en.rule == cy.rule:
        return en.rule
    if en.lang is None:
        return f"{cy.rule}+unmarked-en"
    if cy.lang is None:
        return f"{en.rule}+detected-cy"
    return f"{en.rule}/{cy.rule}"


def _pair_id(folder: Sequence[str], key: str, taken: set[str]) -> str:
    """A unique, file-name-safe id from the folder and the common name (``sub__report``)."""
    parts = [_ID_UNSAFE.sub("-", p).strip("-._") for p in (*folder, key)]
    base = "__".join(p for p in parts if p) or "pair"
    pid, n = base, 2
    while pid in taken:
        pid, n = f"{base}-{n}", n + 1
    taken.add(pid)
    return pid


class _Detector:
    """Memoised language detection that never raises (a failure is a reason, not a crash)."""

    def __init__(self, fn: DetectFn) -> None:
        self.fn = fn
        self.cache: dict[Path, str | None] = {}
        self.errors: dict[Path, str] = {}

    def __call__(self, path: Path) -> Lang | None:
        if path not in self.cache:
            try:
                self.cache[path] = self.fn(path)
            except Exception as exc:
                self.cache[path] = None
                self.errors[path] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        lang = self.cache[path]
        return lang if lang in ("en", "cy") else None  # type: ignore[return-value]


def list_pdfs(root: Path) -> list[Path]:
    """PDFs under ``root`` in a stable order; hidden files and folders (ours, editors') are skipped."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(".pdf") and not f.startswith(".")
        )
    return found


def find_pairs(folder: str | os.PathLike[str], detect_language: DetectFn | None = None) -> PairingResult:
    """Pair the English and Welsh PDFs under ``folder`` (see the module docstring for the rules)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: no such folder")
    detect = _Detector(detect_language or pipeline.detect_language)
    files = list_pdfs(root)
    unpaired: dict[Path, str] = {}
    candidates: list[tuple[int, str, str, _Reading, _Reading]] = []
    buckets: dict[tuple[tuple[str, ...], str], list[_Reading]] = defaultdict(list)
    all_readings: dict[Path, list[_Reading]] = {}
    for f in files:
        if set(_tokens(f.stem)) & BILINGUAL_WORDS:
            unpaired[f] = "bilingual edition (both languages in one file): nothing to pair it with"
            continue
        all_readings[f] = readings(f, root)
        for r in all_readings[f]:
            buckets[(r.folder, r.key)].append(r)
    for group in buckets.values():
        for a in group:
            for b in group:
                if a.file == b.file or (a.lang, b.lang) not in _COMPLEMENTARY:
                    continue
                cost = a.rank + b.rank + (UNMARKED_WELSH_PENALTY if b.lang is None else 0)
                candidates.append((cost, str(a.file), str(b.file), a, b))
    candidates.sort(key=lambda c: c[:3])
    used: dict[Path, Path] = {}
    pairs: list[tuple[_Reading, _Reading, str]] = []
    for _, _, _, en, cy in candidates:
        if en.file in used or cy.file in used:
            continue
        if cy.lang is None and detect(cy.file) != "cy":
            continue
        used[en.file], used[cy.file] = cy.file, en.file
        pairs.append((en, cy, _method(en, cy)))
    leftovers = [f for f in all_readings if f not in used]
    pairs.extend(_pair_by_language(leftovers, all_readings, detect, unpaired))
    taken: set[str] = set()
    rows = [
        Pair(_pair_id(en.folder, en.key, taken), en.file, cy.file, method)
        for en, cy, method in sorted(pairs, key=lambda p: str(p[0].file))
    ]
    gone = [Unpaired(f, unpaired[f]) for f in sorted(unpaired, key=str)]
    return PairingResult(root, rows, gone)


def _best_marked(rs: list[_Reading]) -> _Reading | None:
    """The file's most reliable language marker, ignoring the weak one-letter suffix when alone."""
    marked = [r for r in rs if r.lang is not None and r.rule != "letter-suffix"]
    return marked[0] if marked else None


def _pair_by_language(
    leftovers: list[Path],
    all_readings: dict[Path, list[_Reading]],
    detect: _Detector,
    unpaired: dict[Path, str],
) -> list[tuple[_Reading, _Reading, str]]:
    """Pair what the names left over, folder by folder, by the language of their first pages."""
    by_folder: dict[tuple[str, ...], dict[str, list[_Reading]]] = defaultdict(lambda: {"en": [], "cy": []})
    detected: set[Path] = set()
    for f in leftovers:
        marked = _best_marked(all_readings[f])
        if marked is not None:
            by_folder[marked.folder][marked.lang or "en"].append(marked)
            continue
        plain = all_readings[f][-1]
        lang = detect(f)
        if lang is None:
            problem = detect.errors.get(f) or pipeline.pdf_problem(f)
            unpaired[f] = (
                f"cannot read it: {problem}"
                if problem
                else "no language marker in the name and the language of its first pages is unclear"
            )
            continue
        detected.add(f)
        by_folder[plain.folder][lang].append(_Reading(f, lang, plain.folder, plain.key, "unmarked"))
    out: list[tuple[_Reading, _Reading, str]] = []
    for folder, sides in by_folder.items():
        ens, cys = sides["en"], sides["cy"]
        for en, cy in _match_by_numbers(ens, cys):
            ens.remove(en)
            cys.remove(cy)
            out.append((en, cy, "language-detection+numbers"))
        if len(ens) == 1 and len(cys) == 1:
            en, cy = ens.pop(), cys.pop()
            out.append((en, cy, "language-detection" if {en.file, cy.file} & detected else "only-pair-in-folder"))
        where = "/".join(folder) or "the top folder"
        for r in ens + cys:
            name = "English" if r.lang == "en" else "Welsh"
            other = "Welsh" if r.lang == "en" else "English"
            how = "by its first pages" if r.file in detected else f"by its name ({r.rule})"
            unpaired[r.file] = (
                f"{name} {how}, but no {other} file in {where} matches it"
                if not (cys if r.lang == "en" else ens)
                else f"{name} {how}; {len(ens)} English and {len(cys)} Welsh files are left in {where} "
                "and their names do not say which go together"
            )
    return out


def _match_by_numbers(ens: list[_Reading], cys: list[_Reading]) -> list[tuple[_Reading, _Reading]]:
    """Pairs whose names carry the same numbers (years, form numbers), when that match is unique."""

    def numbers(r: _Reading) -> tuple[str, ...]:
        return tuple(sorted(_DIGITS.findall(r.file.stem)))

    out = []
    for en in ens:
        key = numbers(en)
        if not key:
            continue
        same_en = [e for e in ens if numbers(e) == key]
        same_cy = [c for c in cys if numbers(c) == key]
        if len(same_en) == 1 and len(same_cy) == 1:
            out.append((en, same_cy[0]))
    return out


# --- manifest -----------------------------------------------------------------------------------


def unpaired_path(manifest: str | os.PathLike[str]) -> Path:
    """``manifest.csv`` -> ``manifest.unpaired.csv``."""
    p = Path(manifest)
    return p.with_name(p.stem + UNPAIRED_SUFFIX)


def _relative(path: Path, base: Path) -> str:
    """Relative to the manifest's folder if the file is under it (so the archive can move), else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def _write_csv(path: Path, columns: list[str], rows: Iterable[list[str]]) -> None:
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    os.replace(tmp, path)


def write_manifest(result: PairingResult, path: str | os.PathLike[str]) -> Path:
    """Write ``path`` (the pairs) and its ``.unpaired.csv`` sidecar; returns the sidecar's path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    base = path.parent
    _write_csv(
        path,
        MANIFEST_COLUMNS,
        ([p.id, _relative(p.en, base), _relative(p.cy, base), p.method] for p in result.pairs),
    )
    side = unpaired_path(path)
    _write_csv(side, UNPAIRED_COLUMNS, ([_relative(u.path, base), u.reason] for u in result.unpaired))
    return side


def read_manifest(path: str | os.PathLike[str]) -> list[Pair]:
    """The pairs of a manifest CSV; relative paths are taken from the manifest's folder.

    Raises AlignerError (one line, naming the row) for a manifest that cannot be used as a whole;
    a missing PDF is not checked here: it is that pair's failure in the batch, not the manifest's.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such manifest file")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            columns = set(rows[0].keys()) if rows else set()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read the manifest ({exc})") from None
    if not rows:
        raise InputError(f"{path}: the manifest lists no pairs")
    missing = [c for c in ("id", "en", "cy") if c not in columns]
    if missing:
        raise InputError(f"{path}: the manifest needs columns id,en,cy (missing: {','.join(missing)})")
    pairs: list[Pair] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        pid, en, cy = ((row.get(c) or "").strip() for c in ("id", "en", "cy"))
        if not ID_PATTERN.match(pid):
            raise InputError(f"{path}, line {n}: id {pid!r} must be letters, digits, '.', '_' or '-'")
        if pid in seen:
            raise InputError(f"{path}, line {n}: id {pid!r} is used twice")
        if not en or not cy:
            raise InputError(f"{path}, line {n}: pair {pid!r} needs both an en and a cy path")
        seen.add(pid)
        pairs.append(Pair(pid, path.parent / en, path.parent / cy, (row.get("method") or "").strip() or "manifest"))
    return pairs


__all__ = [
    "AlignerError",
    "Pair",
    "PairingResult",
    "Unpaired",
    "find_pairs",
    "list_pdfs",
    "read_manifest",
    "readings",
    "unpaired_path",
    "write_manifest",
]
