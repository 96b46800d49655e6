"""Finding criteria by code or by words of their name, as people type them: without
Vietnamese accents ("tham dinh" finds "thẩm định"), in any case, in any order of words.

The entry, appraisal and history pages call criteria_matching with the GET parameter `q`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Named(Protocol):
    """A criterion or a scoring node: something with a code and a name."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)

# Letters that do not decompose into a base letter and a combining mark.
_PLAIN = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold_text(text: str | None) -> str:
    """Lower case, no accents, single spaces: "Thẩm ĐỊNH  hồ sơ" -> "tham dinh ho so"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_PLAIN).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def criteria_matching(nodes: Iterable[T], q: str | None) -> list[T]:
    """The nodes (scoring nodes, or criteria: anything with `code` and `name`) that the
    search text finds, in their order. A text that reads as a code ("1.3", "7.3.5") finds
    that criterion and those under it; otherwise every word must appear in the code or the
    name, accents and case aside. An empty text finds everything."""
    nodes = list(nodes)
    words = fold_text(q).split()
    if not words:
        return nodes
    if len(words) == 1 and _looks_like_code(words[0]):
        code = words[0].rstrip(".")
        found = [n for n in nodes if n.code == code or n.code.startswith(code + ".")]
        if found:
            return found
    found = []
    for node in nodes:
        haystack = f"{node.code} {fold_text(node.name)}"
        if all(word in haystack for word in words):
            found.append(node)
    return found


def _looks_like_code(word: str) -> bool:
    return bool(word) and word[0].isdigit() and all(ch.isdigit() or ch == "." for ch in word)
