"""Attach quotations to their cue and speaker, and find reported speech.

Works on one parsed chunk (a spaCy ``Doc``) and the quotations the scanner
found in it.  Offsets here are relative to the chunk; ``engine`` shifts them.

The passes run in this order, and each cue verb serves one item only:

1. headlines (``headlines.pass_headlines``): "X Vows Y Will ..." on a title-case
   line, which the parser reads as one long name, and "X: statement" as the headline;
   also notes the headline lines;
2. ``"...," X said`` (``direct.pass_after``) -- a bare reporting clause right after
   a quotation, or a dash and a name signing it;
3. ``X said, "..."`` / ``X said that "..."`` (``direct.pass_before``) -- a reporting
   clause right before it; a quotation that sits inside the reported clause without
   being the whole clause makes the clause a *partial* quote; a clause ending in a
   colon introduces the quotation after it; ``"...," he said, "..."`` is one quotation;
4. reported speech without quote marks, from the dependency parse
   (``reported.pass_reported``): the content of "said"/"warned"/"vowed" ...,
   including reports nested inside a quotation (reached *via* the quoted speaker)
   and agentless passives, then "according to X", "as X noted", "In the latest poll",
   claim nouns and stance adjectives;
   then transcript turns (``headlines.pass_transcript``: "QUIST: We will ..."), which
   hold what the speaker reports in them;
5. continuation paragraphs (``direct.pass_continuations``): a paragraph that is only
   a quotation continues the quotation credited just before, as its next part;
6. uncredited quotations (``direct.pass_uncredited``): a speech verb later in the
   sentence, else the speaker quoted just before (the next part of their quotation when
   it is in the same paragraph), else nobody;
7. quote marks in a headline are shorthand, so its items become reported speech
   (``headlines.headline_reports``).

Parser output on news text with quote marks is noisy, so the direct-quote
passes look at the surface around the marks rather than trusting the tree.

Modules, each importing only the ones above it: ``chunk`` (the chunk state,
``Found`` and the common helpers), ``content`` (the content span a cue reports),
``sources`` (venue and via chain; recording an item), ``direct``, ``reported`` and
``headlines`` (the passes); ``entities`` resolves speakers across the whole
document (used by ``engine``).
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..quotes import QuotedSpan, names_a_work
from .chunk import Chunk, Found, noun_phrase
from .direct import pass_after, pass_before, pass_continuations, pass_uncredited
from .headlines import headline_reports, pass_headlines, pass_transcript
from .reported import pass_reported

__all__ = ["Found", "find_attributions", "noun_phrase"]

def find_attributions(doc: Doc, quotes: list[QuotedSpan], text: str,
                      first: bool = True) -> list[Found]:
    """Every attribution in one parsed chunk (``text`` is the chunk's string), in order;
    ``first`` says the chunk starts the document (its first line may be the headline)."""
    # A title in quote marks is a name: what surrounds it is the writer's own prose.
    is_title = [names_a_work(text, q) for q in quotes]
    titles = [q for q, title in zip(quotes, is_title, strict=True) if title]
    if titles:
        quotes = [q for q, title in zip(quotes, is_title, strict=True) if not title]
    chunk = Chunk(doc, quotes, text, titles)
    chunk.first = first
    pass_headlines(chunk)
    pass_after(chunk)
    pass_before(chunk)
    pass_reported(chunk)
    pass_transcript(chunk)
    pass_continuations(chunk)
    pass_uncredited(chunk)
    headline_reports(chunk)
    # (an item before the items inside it: a transcript turn is recorded after them)
    return sorted(chunk.items, key=lambda f: (f.start, -f.end))
