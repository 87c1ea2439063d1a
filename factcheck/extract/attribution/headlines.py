"""Lines that carry their own attribution. Headlines: title-case lines whose reporting
verb follows a name ("Tarnek Vows Valdoria Will Stand ..."), which the parser reads as one
long name; a headline that is a name, a colon and a statement ("Lind: No outside
influence on inquiry"); and, once every pass has run, whatever a headline reports counts
as reported speech. Transcripts: paragraphs that open with their speaker's label
("QUIST: We will ...", "Q: ...").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from spacy.tokens import Span

from ..lexicon import HEADLINE_CUES, POLL_NOUNS
from ..types import DIRECT, INDIRECT, PARTIAL
from .chunk import Chunk, Found, strip_chars

# A headline is a line of a few words up to a long title; fewer is a label
# ("World News"), more is a paragraph.
_HEADLINE_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 25
# Share of capitalised words that makes a line title case (short words like "of",
# "to" stay lower case in titles).
_HEADLINE_CAPITALISED = 0.7
# The reporting verb follows a name of at most this many tokens ("Mayor Imre Szabo")
# and has at least this many tokens of content after it.
_HEADLINE_MAX_SPEAKER_TOKENS = 5
_HEADLINE_MIN_CONTENT_TOKENS = 2
# Share of a title-case line a recognised name must cover to be the line misread.
_HEADLINE_NAME_SHARE = 0.6
# Characters after the first line that hold a blank line ("\r\n\r\n" at most).
_BLANK_LINE_CHARS = 4
# A transcript's turn: a paragraph opening with a capitalised label of a few words and a
# colon ("MARA QUIST:", "Quist:", "Q:"); one such paragraph is a label ("Update: ..."),
# two or more are a conversation.
_TURN = re.compile(r"[ \t]*([A-Z][\w.\-'\u2019]*(?:[ \t][A-Z][\w.\-'\u2019]*){0,3})[ \t]*:[ \t]+(?=\S)")
_MIN_TURNS = 2
_MIN_TURN_WORDS = 3
# A headline's label that cites a finding ("Poll: ...", "Report: ...").
_FINDING_LABELS = POLL_NOUNS | {"report", "study"}
# The labels of an interview's questions and answers.
_QA_LABELS = {"Q", "A"}


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Each line's start, its end before the line break, and the line."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, pos + len(line.rstrip("\r\n")), line
        pos += len(line)


def pass_headlines(chunk: Chunk) -> None:
    """'Tarnek Vows Valdoria Will Stand ...': a title-case line whose third-person
    reporting verb follows a name.  The parser reads such lines as one long name."""
    text = chunk.text
    for start, end, line in _lines(text):
        words = line.split()
        if not (_HEADLINE_MIN_WORDS <= len(words) <= _HEADLINE_MAX_WORDS):
            continue
        if start == 0 and chunk.first and _is_title_line(text, end):
            # The document's first line, standing alone, is its headline even in
            # sentence case or with a closing full stop.
            chunk.headlines.append((start, end))
            body = line.rstrip().rstrip(".")
            if _name_and_colon(chunk, start, end):
                continue
        else:
            body = line.rstrip()
        if body.endswith((".", ":")):
            continue
        if not title_case(words):
            continue
        if not chunk.headlines or chunk.headlines[-1] != (start, end):
            chunk.headlines.append((start, end))
        a, b = chunk.token_range(start, end)
        toks = [t for t in chunk.doc[a:b] if not t.is_space]
        for k, tok in enumerate(toks[1:_HEADLINE_MAX_SPEAKER_TOKENS + 1], start=1):
            if tok.lower_ not in HEADLINE_CUES:
                continue
            speaker_toks = toks[:k]
            if not all(t.text[:1].isupper() for t in speaker_toks) or \
                    len(toks) - k - 1 < _HEADLINE_MIN_CONTENT_TOKENS:
                break
            if any(chunk.used_cues & {t.i for t in toks}) or any(
                    chunk.quote_of[t.i] >= 0 for t in speaker_toks):
                break
            content_start = toks[k + 1].idx
            content_end = toks[-1].idx + len(toks[-1])
            quotes = [chunk.quotes[qi] for qi in chunk.quotes_within(content_start, content_end + 1)]
            if any(chunk.index_of(q) in chunk.assigned for q in quotes):
                break
            kind = PARTIAL if quotes else INDIRECT
            if len(quotes) == 1 and strip_chars(text, content_start, content_end) == (
                    quotes[0].open_at, quotes[0].close_end):
                kind = DIRECT
                parts = list(quotes[0].parts)
            else:
                parts = [strip_chars(text, content_start, content_end)]
            speaker = chunk.doc[speaker_toks[0].i:speaker_toks[-1].i + 1]
            found = Found(kind, parts, (tok.idx, tok.idx + len(tok)), tok, speaker, quotes)
            chunk.used_cues.add(tok.i)
            for q in quotes:
                chunk.assigned[chunk.index_of(q)] = found
            chunk.items.append(found)
            break


def pass_transcript(chunk: Chunk) -> None:
    """'TAPPER: How will he heal the country?' / 'FALLIN: Well, I think ...': in a
    broadcast or interview transcript every paragraph opens with its speaker's label,
    and the paragraph is that speaker's words. A label is a name the article uses (or an
    interview's Q and A), a turn says something (a clause or a question; "Lind: 8 points
    and 2 rebounds" is a line of figures), and the conversation needs two turns at least."""
    text = chunk.text
    turns = []
    names: set[str] | None = None  # read from the chunk at the first label that needs it
    for start, end, _line in _lines(text):
        match = _TURN.match(text, start, end)
        if match is None:
            continue
        a, b = chunk.token_range(match.start(1), match.end(1))
        label = chunk.doc[a:b]
        if not label:
            continue
        # (a full name in capitals, "KATE QUIST:", is a transcript's own way of naming)
        if not (label.text in _QA_LABELS or (len(label) > 1 and all(t.is_upper and t.is_alpha
                                                                    for t in label))):
            names = _names_in(chunk) if names is None else names
            if not _named(label, names):
                continue
        content = strip_chars(text, match.end(), end)
        if content[1] - 1 > content[0] and text[content[1] - 1] == ".":
            content = (content[0], content[1] - 1)  # as a reported clause ends
        ca, cb = chunk.token_range(*content)
        if len(text[content[0]:content[1]].split()) < _MIN_TURN_WORDS or not (
                text[content[1] - 1] == "?" or any(t.pos_ in ("VERB", "AUX") for t in chunk.doc[ca:cb])):
            continue
        turns.append((label, text.index(":", match.end(1)), content))
    if len(turns) < _MIN_TURNS:
        return
    taken = {item.cue for item in chunk.items}
    # What the speaker reports in a turn ("I think ...") is reached through them: the items
    # found so far, by start, met in one sweep as the turns go down the text.
    inner = sorted((item for item in chunk.items if item.outer is None), key=lambda it: it.start)
    starts = [item.start for item in inner]
    for label, colon, content in turns:
        if (colon, colon + 1) in taken:
            continue  # the headline "Lind: No outside influence ..." already
        held = chunk.quotes_within(*content)
        whole = len(held) == 1 and content == (chunk.quotes[held[0]].open_at, chunk.quotes[held[0]].close_end)
        if whole and held[0] in chunk.assigned:
            continue  # 'KESSLER: "Will the towns be paid?"', credited already
        # Quotations in a turn that no one else is credited with are the speaker's; the
        # turn itself is the speaker's words without quote marks (as a headline's are),
        # unless it is one quotation.
        quotes = [chunk.quotes[qi] for qi in held if qi not in chunk.assigned]
        parts = list(quotes[0].parts) if whole else [content]
        colon_token = chunk.doc[chunk.token_range(colon, colon + 1)[0]]
        found = Found(DIRECT if whole else INDIRECT, parts, (colon, colon + 1), colon_token, label,
                      quotes)
        for q in quotes:
            chunk.assigned[chunk.index_of(q)] = found
        for item in inner[bisect.bisect_left(starts, content[0]):bisect.bisect_right(starts, content[1])]:
            if item.end <= content[1]:
                item.outer = found
        chunk.items.append(found)


def _names_in(chunk: Chunk) -> set[str]:
    """The words, lower-cased, of the persons and organisations the recogniser found."""
    return {t.lower_ for t in chunk.doc if t.ent_type_ in ("PERSON", "ORG")}


def _named(name: Span | list, names: set[str]) -> bool:
    """A label names someone: a person or organisation the recogniser found in it, or a
    word the article uses elsewhere as one (``names``: "FALLIN" for "Gov. Mary Fallin",
    "Hannity:" before "Sean Hannity said")."""
    return any(t.ent_type_ in ("PERSON", "ORG") for t in name) or name[-1].lower_ in names


def _name_and_colon(chunk: Chunk, start: int, end: int) -> bool:
    """'Lynch: No outside influence on FBI probe', 'De Blasio: Trust Bratton on
    security': a headline that is a name, a colon and a statement gives the statement
    as that person's (or organisation's) words, the headline writer's shorthand for
    what they said."""
    text = chunk.text
    colon = text.find(":", start, end)
    if colon < 0:
        return False
    name_start = start
    for dash in (" \u2013 ", " \u2014 ", " - "):  # "EXCLUSIVE \u2013 Roger Stone: ..."
        cut = text.rfind(dash, start, colon)
        if cut >= 0:
            name_start = max(name_start, cut + len(dash))
    a, b = chunk.token_range(name_start, colon)
    name = [t for t in chunk.doc[a:b] if not t.is_space]
    content = strip_chars(text, colon + 1, end)
    if not (1 <= len(name) <= _HEADLINE_MAX_SPEAKER_TOKENS) or \
            not all(t.text[:1].isupper() for t in name) or \
            len(text[content[0]:content[1]].split()) < _HEADLINE_MIN_CONTENT_TOKENS + 1:
        return False
    # A name, not a section label ("Analysis: ...", "Budget 2017: ..."): recognised as
    # one here, or the article names someone by it further on; or the word for a
    # finding's source ("Poll: Quist leads by eight points").
    if not (len(name) == 1 and name[0].lemma_.lower() in _FINDING_LABELS) and \
            not any(t.ent_type_ in ("GPE", "NORP") or t.pos_ == "PROPN" for t in name) and \
            not _named(name, _names_in(chunk)):
        return False
    quotes = [chunk.quotes[qi] for qi in chunk.quotes_within(*content)]
    if any(chunk.index_of(q) in chunk.assigned for q in quotes):
        return False
    colon_token = chunk.doc[chunk.token_range(colon, colon + 1)[0]]
    found = Found(INDIRECT, [content], (colon, colon + 1), colon_token,
                  chunk.doc[name[0].i:name[-1].i + 1], quotes)
    for q in quotes:
        chunk.assigned[chunk.index_of(q)] = found
    chunk.items.append(found)
    return True


def title_case(words: list[str]) -> bool:
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitalised >= _HEADLINE_CAPITALISED * len(words)


def misread_headline(text: str, start: int, end: int) -> bool:
    """A name recognised across most of a title-case line ("Council Approves New
    Cycle Lanes" read as an organisation) is a headline misread: it names nobody."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    line = text[a:b if b >= 0 else len(text)].split()
    return len(line) >= _HEADLINE_MIN_WORDS and \
        len(text[start:end].split()) >= _HEADLINE_NAME_SHARE * len(line) and title_case(line)


def without_headline_verb(text: str, name: Span, offset: int) -> Span:
    """"Obama Says Museum Will Tell ...": on a title-case line the recogniser runs the
    headline's reporting verb into the name before it; the name ends before the verb."""
    last = name[-1]
    if len(name) < 2 or last.lower_ not in HEADLINE_CUES or not last.text[:1].isupper():
        return name
    start = name.start_char + offset
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    if not title_case(text[a:b if b >= 0 else len(text)].split()):
        return name
    return name[:-1]


def _is_title_line(text: str, end: int) -> bool:
    """A first line followed by a blank line, one sentence long."""
    rest = text[end:end + _BLANK_LINE_CHARS].replace("\r", "")
    if not rest.startswith("\n\n"):
        return False
    line = text[:end].rstrip().rstrip(".!?\u2019\u201d'\"")
    # '"We will not back down," the mayor said.': a quotation closed on its comma is a
    # lede's direct quote, a style headlines do not use.
    if any(f",{mark}" in line for mark in "\"\u201d'\u2019"):
        return False
    return not any(line[i] in ".!?" and line[i + 1] == " " and line[i + 2:i + 3].isupper()
                   for i in range(len(line) - 2))


def headline_reports(chunk: Chunk) -> None:
    """Quote marks in a headline are the headline writer's shorthand for what was
    said ("Tarnek Calls Plan 'A Disgrace'"), not a verbatim record: whatever a
    title-case line reports is reported speech."""
    for item in chunk.items:
        if item.kind != INDIRECT and any(
                a <= item.start and item.end <= b for a, b in chunk.headlines):
            item.kind = INDIRECT
