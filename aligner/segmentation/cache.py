"""Segmented PDFs kept on disk, so re-aligning a pair (a revised translation, other settings) does
not read and lay out both PDFs again: on a 120-page pair that is most of a warm re-run.

An entry is keyed by the PDF's bytes, the language asked for and a fingerprint of the code that
segments (the source of ``aligner.pdf``, ``aligner.segmentation`` and ``aligner.records`` plus the
versions of the PDF libraries), so a new release, an edited checkout or an upgraded PDF library
never reuses a stale layout. Entries are small gzip'd JSON files written atomically; an unreadable
entry is ignored and rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from aligner.files import atomic_output, default_cache_dir
from aligner.records import Document

CACHE_SUBDIR = "documents"
"""Folder inside the cache folder that holds segmented documents (the embeddings sit beside it)."""

PDF_LIBRARIES = ("pypdfium2", "pdfplumber", "pdfminer.six")
"""Libraries whose version changes what a page yields; part of the fingerprint."""


@cache
def segmenter_fingerprint() -> str:
    """Hash of everything that decides a segmentation: the segmenting code and the PDF libraries."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[1]
    sources = sorted([*package.glob("pdf/*.py"), *package.glob("segmentation/*.py"), package / "records.py"])
    for path in sources:
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for name in PDF_LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=absent".encode())
    return h.hexdigest()


class DocumentCache:
    """Segmented documents by PDF content, language asked for and segmenter fingerprint."""

    def __init__(self, cache_dir: str | os.PathLike | None = None) -> None:
        base = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.dir = base / CACHE_SUBDIR

    def entry(self, pdf: str | os.PathLike, lang: str | None) -> Path:
        """Where this PDF's segmentation lives (reads the PDF once to hash it)."""
        h = hashlib.blake2b(digest_size=20)
        h.update(Path(pdf).read_bytes())
        h.update(f"|lang={lang}|{segmenter_fingerprint()}".encode())
        return self.dir / f"{h.hexdigest()}.json.gz"

    def get(self, entry: Path, pdf: str | os.PathLike) -> Document | None:
        """The cached document (with ``path`` set to ``pdf`` as named now), or None."""
        try:
            payload = gzip.decompress(entry.read_bytes()).decode("utf-8", "surrogatepass")
            doc = Document.from_dict(json.loads(payload))
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return None
        return Document(path=str(pdf), lang=doc.lang, n_pages=doc.n_pages, blocks=doc.blocks, removed=doc.removed)

    def put(self, entry: Path, doc: Document) -> None:
        payload = json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8", "surrogatepass")
        with atomic_output(entry, "wb") as fh:
            fh.write(gzip.compress(payload, compresslevel=5))
