"""Alignment accuracy on the set in tests/statements/alignment_cases.py, by class and by part.

    .venv/bin/python training/alignment/evaluate.py [--part tune|held_out] [--failures]

A passage is found when the engine's passage overlaps the expected one by at least
PASSAGE_OVERLAP of their union (characters); for a quote the source does not hold, when the
engine gives no passage. The class is right when it is the expected one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from factcheck.statements.alignment import CLASSES, align, read_source  # noqa: E402
from tests.statements.alignment_cases import Case, cases, source_text  # noqa: E402

PASSAGE_OVERLAP = 0.8


def expected_span(case: Case, text: str) -> tuple[int, int] | None:
    if not case.passage:
        return None
    start = text.find(case.passage)
    if start < 0:
        raise ValueError(f"{case.id}: expected passage not in its source: {case.passage!r}")
    return start, start + len(case.passage)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def judge(case: Case, aligner=align, sources: dict | None = None) -> dict:
    """The engine's answer for one case, and whether its passage and class are right."""
    sources = sources if sources is not None else {}
    source = sources.get(case.source)
    if source is None:
        source = sources[case.source] = read_source(source_text(case.source))
    result = aligner(case.quote, source)
    want = expected_span(case, source.text)
    got = (result.start, result.end) if result.start is not None else None
    found = (got is None) if want is None else (got is not None and overlap(want, got) >= PASSAGE_OVERLAP)
    return {"case": case, "result": result, "passage_ok": found,
            "class_ok": result.classification == case.expected}


def report(judged: list[dict]) -> dict:
    """{class: (n, passage found share, class right share)}, with "all"; and the confusion."""
    by_class = defaultdict(list)
    for j in judged:
        by_class[j["case"].expected].append(j)
        by_class["all"].append(j)
    table = {}
    for name in [*CLASSES, "all"]:
        rows = by_class.get(name, [])
        if rows:
            table[name] = (len(rows), sum(r["passage_ok"] for r in rows) / len(rows),
                           sum(r["class_ok"] for r in rows) / len(rows))
    confusion = Counter((j["case"].expected, j["result"].classification) for j in judged)
    return {"table": table, "confusion": confusion}


def markdown(table: dict) -> str:
    lines = ["| expected class | cases | passage found | class right |", "|---|---|---|---|"]
    for name, (n, found, right) in table.items():
        lines.append(f"| {name} | {n} | {found:.3f} | {right:.3f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tune", "held_out"])
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    parts = [args.part] if args.part else ["tune", "held_out"]
    sources: dict = {}
    for part in parts:
        judged = [judge(c, sources=sources) for c in cases(part)]
        if not judged:
            print(f"{part}: no cases")
            continue
        result = report(judged)
        print(f"\n{part} ({len(judged)} cases)\n")
        print(markdown(result["table"]))
        wrong = {k: v for k, v in result["confusion"].items() if k[0] != k[1]}
        if wrong:
            print("\nexpected -> given: "
                  + ", ".join(f"{a} -> {b}: {n}" for (a, b), n in sorted(wrong.items())))
        if args.failures:
            for j in judged:
                if not (j["passage_ok"] and j["class_ok"]):
                    c, r = j["case"], j["result"]
                    print(f"\n{c.id} [{c.how}] expected {c.expected}, got {r.classification} "
                          f"(passage {'ok' if j['passage_ok'] else 'WRONG'})\n  quote:    {c.quote}\n"
                          f"  expected: {c.passage}\n  got:      {r.passage}\n  why:      {r.explanation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
