"""Group the mentions of one entity and resolve pronouns and descriptions.

Rule-based and deliberately cautious (a wrong speaker is worse than none):

* people are grouped by surname; a bare "Tarnek" takes the nearest full
  name before it ("President Miroslav Tarnek"), or the first one after it
  when the article names him fully only later (headlines);
* organisations are grouped by normalised name, by acronym ("AP" ->
  "Associated Press") and by shared tail ("the Defense Ministry");
* "he"/"she" take the most recent person in subject position within a few
  sentences; "the Valdorian president" takes the person introduced with that role
  ("Valdoria's long-serving leader ..., President Miroslav Tarnek") or else the
  most recent person in subject position; "the ministry" takes the most recent
  organisation whose name has that word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..lexicon import ORG_NOUNS, PERSON_ROLE_NOUNS, PRONOUNS_PERSON, TITLES

PERSON, ORG = "PERSON", "ORG"
_ENTITY_TYPES = {"PERSON": PERSON, "ORG": ORG, "GPE": ORG, "NORP": ORG}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_LINKING_DEPS = {"appos", "conj", "compound", "flat", "nmod"}
# Characters back to look for a pronoun's antecedent: a few sentences; further back
# "he" more likely means someone named since whom the recogniser missed.
_PRONOUN_WINDOW = 700
# "it" speaks for an organisation only when one was the subject very recently.
_IT_WINDOW = _PRONOUN_WINDOW // 2
# Characters back to look for the person or organisation a description ("the
# president", "the agency") means when no mention carries that role: a few paragraphs.
_DESCRIPTION_WINDOW = 2500
# Heads climbed through appositions, conjuncts and name parts to find whether a
# mention is a subject ("Tarnek and his deputy ... said").
_SUBJECT_LINK_HOPS = 6
# A person is indexed by surname only when named fully (first name and surname).
_FULL_NAME_WORDS = 2
# Letters of the shortest acronym ("AP"); one capital is an initial.
MIN_ACRONYM_LETTERS = 2
# A shorter organisation name matches a longer one's tail ("the Defense Ministry") from
# this many words; one shared word ("Ministry") is too weak.
_MIN_SHARED_TAIL_WORDS = 2
_MEDIA_ORG_NOUNS = {"newspaper", "paper", "network", "agency", "outlet", "magazine",
                    "publication", "station", "channel", "broadcaster", "wire"}
_ACRONYM_SKIP = {"of", "the", "and", "for", "&", "de", "on"}
_POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")


@dataclass
class Mention:
    start: int
    end: int
    name: str
    kind: str  # PERSON or ORG
    subject: bool
    roles: set[str] = field(default_factory=set)


def _clean_tokens(text: str) -> list[str]:
    text = text.split("\n")[0] if "\n" in text.strip() else text
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    return [w for w in words if w]


_TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES)


def _person_words(text: str) -> list[str]:
    words = _clean_tokens(text)
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLE_WORDS:
        words = words[1:]
    return words


def _acronym(words: list[str]) -> str:
    caps = [w for w in words if w.lower() not in _ACRONYM_SKIP and w[:1].isupper()]
    return "".join(w[0] for w in caps) if len(caps) >= MIN_ACRONYM_LETTERS else ""


def is_subject(token: Token) -> bool:
    steps = 0
    while token.dep_ in _LINKING_DEPS and token.head.i != token.i and steps < _SUBJECT_LINK_HOPS:
        token = token.head
        steps += 1
    return token.dep_ in _SUBJECT_DEPS


def _roles_of(ent: Span) -> set[str]:
    """Role nouns introducing a person: titles before the name, appositions."""
    roles: set[str] = set()
    doc = ent.doc
    i = ent.start - 1
    while i >= 0 and doc[i].pos_ in ("PROPN", "NOUN") and doc[i].dep_ == "compound":
        roles.add(doc[i].lower_.rstrip("."))
        i -= 1
    root = ent.root
    if root.dep_ == "appos":
        head = root.head
        roles.add(head.lower_)
        for conj in head.conjuncts:
            roles.add(conj.lower_)
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            roles.add(child.lower_)
    return roles


class EntityTracker:
    """Every named mention of one text (all chunks), in order of appearance."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self._persons_by_surname: dict[str, list[tuple[int, str]]] = {}
        self._orgs: list[tuple[int, str, list[str]]] = []

    def add_doc(self, doc: Doc, offset: int, in_quote) -> None:
        for ent in doc.ents:
            kind = _ENTITY_TYPES.get(ent.label_)
            if kind is None or in_quote(ent.start_char + offset):
                continue
            start = ent.start_char + offset
            if kind == PERSON:
                words = _person_words(ent.text)
                if not words:
                    continue
                name = " ".join(words)
                if len(words) >= _FULL_NAME_WORDS:
                    self._persons_by_surname.setdefault(words[-1].lower(), []).append(
                        (start, name))
                mention = Mention(start, ent.end_char + offset, name, PERSON,
                                  is_subject(ent.root), _roles_of(ent))
            else:
                words = _clean_tokens(ent.text)
                if not words:
                    continue
                self._orgs.append((start, " ".join(words), words))
                mention = Mention(start, ent.end_char + offset, " ".join(words), ORG,
                                  is_subject(ent.root))
            self.mentions.append(mention)

    def add_speaker(self, start: int, end: int, name: str, kind: str) -> None:
        """A resolved speaker is a strong antecedent for later pronouns."""
        self.mentions.append(Mention(start, end, name, kind, True))
        self.mentions.sort(key=lambda m: m.start)

    # ----------------------------------------------------------------- names
    def person_name(self, text: str, pos: int) -> str:
        words = _person_words(text)
        if not words:
            return text.strip()
        if len(words) >= _FULL_NAME_WORDS:
            return " ".join(words)
        key = words[0].lower()
        candidates = self._persons_by_surname.get(key)
        if not candidates:
            # A first name alone ("Hillary") matches a full name that starts with it.
            candidates = [(s, n) for lst in self._persons_by_surname.values()
                          for s, n in lst if n.split()[0].lower() == key]
        if candidates:
            before = [c for c in candidates if c[0] <= pos]
            return (max(before) if before else min(candidates))[1]
        return words[0]

    def known_person(self, text: str, pos: int) -> str | None:
        """The full name of a person this surname (or full name) belongs to, if any."""
        words = _person_words(text)
        if not words or not all(w[:1].isupper() for w in words):
            return None
        candidates = self._persons_by_surname.get(words[-1].lower())
        if not candidates:
            return None
        before = [c for c in candidates if c[0] <= pos]
        return (max(before) if before else min(candidates))[1]

    def org_name(self, text: str, pos: int) -> str:
        words = _clean_tokens(text)
        if not words:
            return text.strip()
        name = " ".join(words)
        lower = name.lower()
        compact = lower.replace(".", "")
        best: tuple[int, str] | None = None
        for start, other, other_words in self._orgs:
            other_lower = other.lower()
            same = other_lower == lower
            if not same and len(words) == 1 and len(compact) >= MIN_ACRONYM_LETTERS and \
                    words[0].replace(".", "").isupper():
                same = _acronym(other_words).lower() == compact
            if not same and len(words) >= _MIN_SHARED_TAIL_WORDS and len(other_words) > len(words):
                same = other_lower.endswith(" " + lower)
            if same and len(other_words) >= len(words):
                # Prefer the fullest form, the nearest one before this mention.
                rank = (len(other_words), -abs(pos - start))
                if best is None or rank > best[0]:
                    best = (rank, other)
        return best[1] if best else name

    # ------------------------------------------------------------ resolution
    def _recent(self, pos: int, kind: str, window: int) -> Mention | None:
        fallback = None
        for mention in reversed(self.mentions):
            if mention.start >= pos:
                continue
            if mention.start < pos - window:
                break
            if mention.kind != kind:
                continue
            if mention.subject:
                return mention
            if fallback is None:
                fallback = mention
        return fallback

    def resolve_pronoun(self, word: str, pos: int) -> tuple[str | None, str | None]:
        if word.lower() in PRONOUNS_PERSON:
            mention = self._recent(pos, PERSON, _PRONOUN_WINDOW)
            if mention:
                return self.person_name(mention.name, mention.start), PERSON
        elif word.lower() == "it":
            mention = self._recent(pos, ORG, _IT_WINDOW)
            if mention and mention.subject:
                return self.org_name(mention.name, mention.start), ORG
        return None, None

    def resolve_description(self, head: str, pos: int) -> tuple[str | None, str | None]:
        head = head.lower()
        if head in PERSON_ROLE_NOUNS:
            for mention in reversed(self.mentions):
                if mention.start < pos and mention.kind == PERSON and head in mention.roles:
                    return self.person_name(mention.name, mention.start), PERSON
            mention = self._recent(pos, PERSON, _DESCRIPTION_WINDOW)
            if mention and mention.subject:
                return self.person_name(mention.name, mention.start), PERSON
        elif head in ORG_NOUNS:
            for mention in reversed(self.mentions):
                if mention.start < pos and mention.kind == ORG and \
                        head in mention.name.lower().split():
                    return self.org_name(mention.name, mention.start), ORG
            if head in _MEDIA_ORG_NOUNS:
                mention = self._recent(pos, ORG, _DESCRIPTION_WINDOW)
                if mention and mention.subject:
                    return self.org_name(mention.name, mention.start), ORG
        return None, None
