"""`checkworthy [FILE|-]`: score sentences and print `id<TAB>score<TAB>Yes|No`."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from .data import parse_sentences

# A sentence, not a document: the longest CheckThat! sentence has 833 characters.
# Longer lines are refused rather than cut, so that no score stands for text it did not
# read; spaCy would refuse a line over a million characters anyway, after reading it.
MAX_SENTENCE_CHARS = 20_000


class SentenceTooLong(ValueError):
    pass


def format_rows(ids: list[str], scores: list[float], threshold: float) -> list[str]:
    return [
        f"{sid}\t{score:.4f}\t{'Yes' if score >= threshold else 'No'}"
        for sid, score in zip(ids, scores, strict=True)
    ]


def score_content(content: str, nlp=None) -> list[str]:
    from . import score_texts, threshold

    sentences = parse_sentences(content)
    for sentence in sentences:
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            raise SentenceTooLong(
                f"sentence {sentence.id} is {len(sentence.text):,} characters long; the "
                f"scorer reads one sentence per line, of at most {MAX_SENTENCE_CHARS:,}")
    scores = score_texts([s.text for s in sentences], nlp=nlp)
    return format_rows([s.id for s in sentences], scores, threshold())


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    ap = argparse.ArgumentParser(prog="checkworthy", description=__doc__)
    ap.add_argument("file", nargs="?", default="-",
                    help="one sentence per line, or a TSV with a Sentence_id<TAB>Text header")
    ap.add_argument("--second-stage", action=argparse.BooleanOptionalAction, default=None,
                    help="rescore the unsure sentences with the fine-tuned MiniLM, or not "
                         "(default: on where the model has it)")
    # Without Django there is no FACTCHECK_SPACY_MODEL setting: the pipeline is a flag.
    ap.add_argument("--spacy-model", metavar="NAME", default=None,
                    help="spaCy pipeline to parse the sentences with (default: "
                         "factcheck.extract.DEFAULT_MODEL, or what set_spacy_model chose)")
    args = ap.parse_args(argv)
    from . import second_stage

    stdout = stdout or sys.stdout
    try:
        content = read_input(args.file, stdin)
        nlp = None
        if args.spacy_model:
            import spacy

            nlp = spacy.load(args.spacy_model)  # OSError when it is not installed
        with nullcontext() if args.second_stage is None else second_stage(args.second_stage):
            rows = score_content(content, nlp=nlp)
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and SentenceTooLong too
        ap.exit(2, f"checkworthy: cannot score {args.file}: {exc}\n")
    for row in rows:
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
