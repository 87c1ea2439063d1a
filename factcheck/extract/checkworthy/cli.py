"""`checkworthy [FILE|-]`: score sentences and print `id<TAB>score<TAB>Yes|No`."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from .data import parse_sentences


def format_rows(ids: list[str], scores: list[float], threshold: float) -> list[str]:
    return [
        f"{sid}\t{score:.4f}\t{'Yes' if score >= threshold else 'No'}"
        for sid, score in zip(ids, scores, strict=True)
    ]


def score_content(content: str, nlp=None) -> list[str]:
    from . import score_texts, threshold

    sentences = parse_sentences(content)
    scores = score_texts([s.text for s in sentences], nlp=nlp)
    return format_rows([s.id for s in sentences], scores, threshold())


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    ap = argparse.ArgumentParser(prog="checkworthy", description=__doc__)
    ap.add_argument("file", nargs="?", default="-",
                    help="one sentence per line, or a TSV with a Sentence_id<TAB>Text header")
    ap.add_argument("--second-stage", action="store_true",
                    help="rescore the unsure sentences with the fine-tuned MiniLM")
    args = ap.parse_args(argv)
    from . import second_stage

    stdout = stdout or sys.stdout
    content = read_input(args.file, stdin)
    with second_stage(True) if args.second_stage else nullcontext():
        for row in score_content(content):
            stdout.write(row + "\n")
    return 0


def read_input(path: str, stdin=None) -> str:
    """The whole input as text; `-` is standard input. Newlines are normalised later."""
    if path == "-":
        return (stdin or sys.stdin).read()
    # newline="" keeps "\r\n" intact here so that parse_sentences sees and strips it
    # the same way for files and for standard input.
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.read()
