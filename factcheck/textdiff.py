"""Word-level differences, shown wherever two wordings of one text meet: an article's
versions, and a quote's appearances in different outlets."""

import difflib
import re

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces turning `old` into `new`, op one of equal/delete/insert, by words."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                pieces.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("insert", "".join(b[j1:j2])))
    return pieces
