"""Finding criteria by code or by words of their name (issue 13 item 11), as people type:
"1.3" finds 1.3, 1.3.1, 1.3.2; "kiem tra" finds "Công tác kiểm tra CCHC" (without diacritics,
in any case, the words in any order)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics: "Kiểm tra" -> "kiem tra", "Đề án" -> "de an"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


def criteria_matching(nodes: Iterable, q: str) -> list:
    """The nodes (scoring nodes or criteria: anything with `code` and `name`) whose code starts
    with `q` or whose name contains every word of `q`, accent- and case-insensitive, in their
    order. An empty query matches every node."""
    nodes = list(nodes)
    query = fold(q)
    if not query:
        return nodes
    code = query.rstrip(".")
    words = query.split()
    found = []
    for node in nodes:
        if node.code == code or node.code.startswith(code + ".") or node.code.startswith(query):
            found.append(node)
            continue
        name = fold(node.name)
        if all(word in name for word in words):
            found.append(node)
    return found
