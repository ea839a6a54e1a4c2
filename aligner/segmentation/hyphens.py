"""Is a hyphen at the end of a line part of the text, or a word division the typesetter made?

A word division is undone ("infor-" + "mation" -> "information"); a real hyphen is kept ("do-you-" +
"need" -> "do-you-need"). What decides, in this order:

1. the document's own usage elsewhere (the hyphenated or the joined form printed on one line);
2. the hyphen sits in a URL, e-mail address or path (the token has "/", "@", "www.", "://", or a
   dotted domain): addresses are never divided with an added hyphen;
3. the word is already a hyphenated compound on either side of the break ("do-you-" / "need",
   "legal-" / "aid-forms"): typesetters break such words at their own hyphens;
4. the next part starts with a capital or a digit, or the first part is a number ("pre-" /
   "Budget", "2019-" / "20");
5. the first part is a prefix written with a hyphen (Welsh "is-", "ail-", "blwydd-"; "co-", "self-"), or
   a single letter ("e-" / "bost", "x-" / "ray"): no typesetter divides a word after its first letter;
6. both parts are words the document uses on their own and the joined form is not ("decision-" /
   "making"): a division would leave a fragment that is not a word.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping

MIN_PART_LETTERS = 3
"""Rule 6 only trusts parts of at least this many letters (short parts are often word fragments)."""
MIN_OWN_USES = 2
"""... that occur at least this often in the document (the fragment itself counts once)."""

_ADDRESS = re.compile(r"/|@|www\.|://|\\|[a-z]\.[a-z]{2,}", re.IGNORECASE)


def keeps_hyphen(
    head_token: str,
    tail_token: str,
    hyphenated: Container[str] = frozenset(),
    joined: Container[str] = frozenset(),
    prefixes: Container[str] = frozenset(),
) -> bool:
    """``head_token`` is the last token of the line without its final hyphen ("gov.uk/do-you"),
    ``tail_token`` the first token of the next line ("need-legal-aid."). ``joined`` may be a
    word -> count mapping of the document's words (rule 6 needs the counts)."""
    head_m = re.search(r"(\w+)$", head_token)
    tail_m = re.match(r"\w+", tail_token)
    if not head_m or not tail_m:
        return True
    head, tail = head_m.group(1), tail_m.group()
    form_h, form_j = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
    if form_h in hyphenated:
        return True
    if form_j in joined:
        return False
    if _ADDRESS.search(head_token) or _ADDRESS.search(tail_token):
        return True
    if "-" in head_token or "-" in tail_token.rstrip("-.,;:!?)"):
        return True
    if tail[0].isupper() or tail[0].isdigit() or head.isdigit() or head.lower() in prefixes or len(head) == 1:
        return True
    if isinstance(joined, Mapping):
        return all(
            len(part) >= MIN_PART_LETTERS and part.isalpha() and joined.get(part.lower(), 0) >= MIN_OWN_USES
            for part in (head, tail)
        )
    return False
