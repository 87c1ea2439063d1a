"""`checkworthy [FILE|-]`: score sentences and print `id<TAB>score<TAB>Yes|No` (the
shipped score and threshold; `--feature-model` for the one extraction runs)."""

from __future__ import annotations

import argparse
import sys

from .data import parse_sentences


def format_rows(ids: list[str], scores: list[float], threshold: float) -> list[str]:
    return [
        f"{sid}\t{score:.4f}\t{'Yes' if score >= threshold else 'No'}"
        for sid, score in zip(ids, scores, strict=True)
    ]


def score_content(content: str, nlp=None, feature_model: bool = False) -> list[str]:
    from . import (
        MAX_SENTENCE_CHARS,
        SentenceTooLong,
        score_statements,
        score_texts,
        shipped_threshold,
        threshold,
    )

    sentences = parse_sentences(content)
    for sentence in sentences:
        # Checked here too, to name the sentence by the id its file gives it.
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            raise SentenceTooLong(
                f"sentence {sentence.id} is {len(sentence.text):,} characters long; the "
                f"scorer reads one sentence per line, of at most {MAX_SENTENCE_CHARS:,}")
    texts = [s.text for s in sentences]
    if feature_model:
        return format_rows([s.id for s in sentences], score_texts(texts, nlp=nlp), threshold())
    return format_rows([s.id for s in sentences], score_statements(texts), shipped_threshold())


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    ap = argparse.ArgumentParser(prog="checkworthy", description=__doc__)
    ap.add_argument("file", nargs="?", default="-",
                    help="one sentence per line, or a TSV with a Sentence_id<TAB>Text header")
    ap.add_argument("--feature-model", action="store_true",
                    help="score with the feature model extraction runs, at its threshold")
    # Without Django there is no FACTCHECK_SPACY_MODEL setting: the pipeline is a flag.
    ap.add_argument("--spacy-model", metavar="NAME", default=None,
                    help="spaCy pipeline the feature model parses with (default: "
                         "factcheck.extract.DEFAULT_MODEL, or what set_spacy_model chose)")
    args = ap.parse_args(argv)
    stdout = stdout or sys.stdout
    try:
        content = read_input(args.file, stdin)
        nlp = None
        if args.spacy_model:
            import spacy

            nlp = spacy.load(args.spacy_model)  # OSError when it is not installed
        rows = score_content(content, nlp=nlp, feature_model=args.feature_model)
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
