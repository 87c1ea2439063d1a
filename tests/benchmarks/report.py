"""The one table of `make bench`: every benchmark's rows, as the bench_*.py scripts left them.

    .venv/bin/python tests/benchmarks/report.py

Each script prints its own rows and records them with `record()` in var/bench/<name>.json,
so it still runs alone; `make bench` runs them all and then this, which prints every row in
one table (in the Markdown the README uses). A script that has not run shows as missing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "var" / "bench"
# The order of the table.
SCRIPTS = ["extract", "checkworthy", "ingest", "queue_search", "public", "pathological", "align"]
COLUMNS = ["benchmark", "ours", "baseline", "ratio", "goal", "met?"]


def row(benchmark: str, ours: str, baseline: str, ratio: float, goal: str, met: bool | None) -> dict:
    """One line of the table; `met` None for a figure that is reported, not judged."""
    return {
        "benchmark": benchmark,
        "ours": ours,
        "baseline": baseline,
        "ratio": ratio,
        "goal": goal,
        "met": met,
    }


def table(rows: list[dict]) -> str:
    cells = [COLUMNS] + [
        [
            r["benchmark"],
            r["ours"],
            r["baseline"],
            f"{r['ratio']:.2f}",
            r["goal"],
            {True: "yes", False: "**no**", None: "-"}[r["met"]],
        ]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]

    def line(values):
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(c) for c in cells[1:]])


def record(name: str, rows: list[dict]) -> None:
    """Print a script's rows and keep them for the combined table."""
    print()
    print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
                "load_average": round(os.getloadavg()[0], 1),
                "cpus": os.cpu_count(),
            },
            indent=1,
        )
    )


def main() -> int:
    rows, notes = [], []
    for name in SCRIPTS:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            notes.append(f"bench_{name}.py: no results (not run, or it failed)")
            continue
        result = json.loads(path.read_text())
        rows += result["rows"]
        notes.append(
            f"bench_{name}.py: finished {result['finished']}, load average "
            f"{result['load_average']} on {result['cpus']} cpus"
        )
    print(table(rows))
    print()
    for note in notes:
        print(note)
    missed = [r["benchmark"] for r in rows if r["met"] is False]
    print(
        f"{len(missed)} of {len(rows)} rows missed their goal" + (f": {'; '.join(missed)}" if missed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
