"""Texts under the length limit that once cost the extractor minutes and gigabytes
(issue #28, finding 5), a news-like text to compare them with, and the measurement both
``test_pathological.py`` and ``tests/benchmarks/bench_pathological.py`` make.

Every text here is invented.  Not a test module itself (pytest collects test_*.py only).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_NAMES = ["Ilka Varga", "Tomas Reyn", "Odile Marsh", "Kofi Brandt", "Selma Quarry", "Ivo Lettner"]
_BODIES = ["the port authority", "the county audit office", "the transit union", "the water board",
           "the provincial court", "the fisheries ministry"]
_THINGS = ["the harbour levy", "the night-bus cuts", "the school merger", "the new ring road",
           "the flood insurance scheme", "the hospital tender"]
_SENTENCES = [
    '"We were never shown {thing}," {name} said on Tuesday.',
    "{name}, a spokeswoman for {body}, said {thing} would cost {n} million.",
    "According to {body}, {thing} was approved in {year} without a vote.",
    '{body} called {thing} "a mistake we will all pay for" and asked for an inquiry.',
    "The figures for {thing} rose by {n} percent, {name} told reporters.",
    "{name} was critical of {thing}, which {body} defended.",
    '"Nobody asked us. Nobody ever asks us," said {name}.',
    "Residents will vote on {thing} in {year}.",
    "{body} denied claims that {thing} had been delayed.",
    "In a statement, {body} said it would publish the contracts for {thing}.",
]


def news_like(length: int, seed: int = 28) -> str:
    """News-shaped prose (quotations, reported speech, claims, paragraphs) of ``length``."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < length:
        sentences = [
            rng.choice(_SENTENCES).format(name=rng.choice(_NAMES), body=rng.choice(_BODIES),
                                          thing=rng.choice(_THINGS), n=rng.randint(2, 95),
                                          year=rng.randint(2015, 2029))
            for _ in range(rng.randint(1, 4))]
        paragraph = " ".join(s[0].upper() + s[1:] for s in sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return ("Port Levy Row Deepens\n\n" + "\n\n".join(paragraphs))[:length]


def emoji(length: int) -> str:
    """Emoji and nothing else."""
    return ("\U0001F600\U0001F44D\U0001F525\U0001F389\U0001F680\U0001F30D" * length)[:length]


def quote_marks(length: int) -> str:
    return '"' * length


def nested_quote_marks(length: int) -> str:
    """Opening marks, double and single in turn, then their closing marks: quotations
    nested as deep as the text allows, without a word."""
    half = length // 2
    return (("\u201c\u2018" * length)[:half] + "\u2019\u201d" * length)[:length]


def nested_quotations(length: int) -> str:
    """Speech reported inside speech inside speech ..., then every quotation closed."""
    half = length // 2
    opening = ("\u201cIlka said \u2018Tomas said " * length)[:half]
    return (opening + "\u2019 he added\u201d " * length)[:length]


def no_spaces(length: int) -> str:
    """A news text that lost its whitespace in a paste."""
    return "".join(news_like(2 * length).split())[:length]


def no_punctuation(length: int) -> str:
    """A news text without punctuation or line breaks: one sentence as long as the text."""
    return " ".join(re.sub(r"[^\w\s]", "", news_like(2 * length)).split())[:length]


def spaced_symbols(length: int) -> str:
    """Quote marks and emoji between spaces: a token for every other character."""
    return ('" \u201c \U0001F600 \u2018 ' * length)[:length]


# The texts of the issue; ``spaced_symbols`` is measured by the benchmark only (its cost
# is simply the most tokens a text of its length can have).
PATHOLOGICAL = {
    "emoji": emoji,
    "quote marks": quote_marks,
    "nested quote marks": nested_quote_marks,
    "nested quotations": nested_quotations,
    "no spaces": no_spaces,
    "no punctuation": no_punctuation,
}

_CHILD = """
import json, resource, sys, time
from factcheck.extract import extract
extract('Warm-up. "It works," she said.')  # the models load outside the measurement
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    text = handle.read()
usage = resource.getrusage(resource.RUSAGE_SELF)
before, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
start = time.perf_counter()
result = extract(text)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
json.dump({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu,
           "rss_growth_mb": (usage.ru_maxrss - before) / 1024,  # ru_maxrss is in KB on Linux
           "result": result.to_dict() if "--result" in sys.argv else None}, sys.stdout)
"""


def measure(text: str, workdir: Path, timeout: float, result: bool = False) -> dict:
    """``extract(text)`` in a fresh process: its seconds (wall and CPU), how far it raised
    the process's peak resident memory in MB (a fresh process, so earlier work does not
    hide it), and with ``result`` the extraction as a dict.  Raises
    ``subprocess.TimeoutExpired`` after ``timeout`` seconds (the process is killed)."""
    path = workdir / "text.txt"
    path.write_text(text, encoding="utf-8", newline="")
    args = [sys.executable, "-c", _CHILD, str(path)] + (["--result"] if result else [])
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"extract() failed in the child process:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)
