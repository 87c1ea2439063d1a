"""Reading sentence files: plain one-per-line text and CheckThat!-style TSV."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

# The published train file has one line where two records run together:
# "24098<TAB>text<TAB>No29286<TAB>text<TAB>No". The label cell then carries the next id.
_LABEL_AND_NEXT_ID = re.compile(r"^(Yes|No)(\d+)$")


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    label: bool | None = None


def _is_tsv_header(line: str) -> bool:
    first = line.split("\t", 1)[0].strip().lstrip("\ufeff").lower()
    return "\t" in line and first in ("sentence_id", "id")


def parse_sentences(content: str) -> list[Sentence]:
    """Parse either a CheckThat! TSV (header `Sentence_id<TAB>Text[...]`) or plain lines.

    Plain lines get their 1-based line number as id; blank plain lines are skipped (their
    number is still consumed so ids match what an editor sees in the file).
    """
    # Normalise CRLF/CR once: the CheckThat! dev files are CRLF and a stray "\r" would
    # otherwise end up in the text or the label.
    content = content.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = content.split("\n")
    if lines and _is_tsv_header(lines[0]):
        return _parse_tsv(lines)
    out = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if text:
            out.append(Sentence(str(number), text))
    return out


def _label(cell: str) -> bool | None:
    cell = cell.strip()
    if cell == "Yes":
        return True
    if cell == "No":
        return False
    return None


def _parse_tsv(lines: list[str]) -> list[Sentence]:
    header = [h.strip().lower() for h in lines[0].split("\t")]
    label_col = header.index("class_label") if "class_label" in header else None
    out: list[Sentence] = []
    for line in lines[1:]:
        # One record per line, each line read on its own: CSV quoting ("" inside a
        # quoted text) is honoured, but an unbalanced quote cannot swallow the lines
        # after it.
        row = next(csv.reader([line], delimiter="\t"), [])
        if not row or not row[0].strip():
            continue
        if len(row) < 2:
            continue
        m = _LABEL_AND_NEXT_ID.match(row[2].strip()) if len(row) == 5 else None
        if label_col == 2 and m:
            # Two records run together: split them at the label cell that carries the
            # next record's id. Other extra columns are ignored, never the record.
            out.append(Sentence(row[0].strip(), row[1].strip(), m.group(1) == "Yes"))
            out.append(Sentence(m.group(2), row[3].strip(), _label(row[4])))
            continue
        label = _label(row[label_col]) if label_col is not None and len(row) > label_col else None
        out.append(Sentence(row[0].strip(), row[1].strip(), label))
    return out


def read_sentences(path: str) -> list[Sentence]:
    with open(path, encoding="utf-8", newline="") as f:
        return parse_sentences(f.read())
