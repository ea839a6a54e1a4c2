"""The paragraph a tagged PDF puts each piece of marked content in.

Word, InDesign and LibreOffice write accessible ("tagged") PDFs: every run of text on a page is marked
with a marked-content id (MCID), and the document's structure tree files each MCID under an element
(a paragraph ``P``, a heading, a list body, a table cell). A paragraph that runs over a page or column
break is one element with content on both pages, which the page itself cannot show when the break
falls after a full line at a sentence end; the gold data's unit definition lets the document's own
tags decide exactly there.

pdfium (the page reader) builds a separate structure tree for each page and gives no identity to an
element across pages, so the tree is read here with pdfminer (which pdfplumber brings): the
``ParentTree`` maps each page's MCIDs to their elements, and an element's object number is the same
on every page it spans. Only the pages asked for are looked up, and any fault in the tree gives no
tags (the page's own evidence alone then decides) rather than an error.
"""

from __future__ import annotations

import logging
from pathlib import Path

INLINE_TYPES = frozenset(
    {
        "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot",
        "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
        "Em", "Strong", "Sub",
    }
)  # fmt: skip
"""Standard structure types that sit inside a paragraph (ISO 32000 inline-level and illustration
elements, and PDF 2.0's Em, Strong, Sub): text marked with one belongs to the block around it (a
link in a sentence is still the sentence's paragraph)."""
MAX_ROLE_DEPTH = 8
"""Steps followed through a role map (custom type → standard type) or up to a block element before
giving up: a cycle in a broken tree must not hang the reader."""

PageTags = dict[int, int]
"""One page's MCIDs → the object number of the block element each belongs to."""


def paragraph_tags(path: str | Path, first: int, last: int) -> list[PageTags]:
    """For pages ``first``..``last``-1 (0-based): each MCID's block element; empty maps for an
    untagged PDF, a page outside the tree, or a tree that cannot be read."""
    empty: list[PageTags] = [{} for _ in range(first, last)]
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # pdfminer's warnings about a page's boxes are not the user's concern here
    try:
        return _read_tags(Path(path), first, last) or empty
    except Exception:  # a damaged or unusual structure tree: no tags, never a failed read
        return empty
    finally:
        quiet.setLevel(level)


def _read_tags(path: Path, first: int, last: int) -> list[PageTags] | None:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with open(path, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        root = resolve1(doc.catalog.get("StructTreeRoot"))
        if not isinstance(root, dict) or "ParentTree" not in root:
            return None
        role_map = resolve1(root.get("RoleMap")) or {}
        parents: dict[int, object] = {}
        _number_tree(root["ParentTree"], parents, 0)
        blocks: dict[int, int | None] = {}
        out: list[PageTags] = []
        for i, page in enumerate(PDFPage.create_pages(doc)):
            if i >= last:
                break
            if i < first:
                continue
            key = page.attrs.get("StructParents")
            refs = resolve1(parents.get(key)) if isinstance(key, int) else None
            tags: PageTags = {}
            for mcid, ref in enumerate(refs if isinstance(refs, list) else []):
                block = _block(ref, role_map, blocks)
                if block is not None:
                    tags[mcid] = block
            out.append(tags)
        return out + [{} for _ in range(len(out), last - first)]


def _number_tree(node: object, out: dict[int, object], depth: int) -> None:
    """Every key → value of a PDF number tree (``Nums`` pairs, ``Kids`` below)."""
    from pdfminer.pdftypes import resolve1

    node = resolve1(node)
    if not isinstance(node, dict) or depth > 32:
        return
    nums = resolve1(node.get("Nums")) or []
    for key, value in zip(nums[::2], nums[1::2], strict=False):
        if isinstance(key, int):
            out[key] = value
    for kid in resolve1(node.get("Kids")) or []:
        _number_tree(kid, out, depth + 1)


def _block(ref: object, role_map: dict, blocks: dict[int, int | None]) -> int | None:
    """The object number of the nearest element at or above ``ref`` that is not inline."""
    from pdfminer.pdftypes import PDFObjRef, resolve1

    seen: list[int] = []
    found: int | None = None
    for _ in range(MAX_ROLE_DEPTH):
        if not isinstance(ref, PDFObjRef):
            break
        if ref.objid in blocks:
            found = blocks[ref.objid]
            break
        seen.append(ref.objid)
        element = resolve1(ref)
        if not isinstance(element, dict):
            break
        if _standard_type(element.get("S"), role_map) not in INLINE_TYPES:
            found = ref.objid
            break
        ref = element.get("P")
    for objid in seen:
        blocks[objid] = found
    return found


def _standard_type(kind: object, role_map: dict) -> str:
    """A structure type's name, followed through the document's role map to a standard type."""
    from pdfminer.psparser import PSLiteral

    name = str(kind.name if isinstance(kind, PSLiteral) else kind)
    for _ in range(MAX_ROLE_DEPTH):
        mapped = role_map.get(name)
        if mapped is None:
            break
        name = str(mapped.name if isinstance(mapped, PSLiteral) else mapped)
    return name
