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

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import gender_guesser.detector
from spacy.tokens import Doc, Span, Token

from ..lexicon import (
    GENDERED_TITLES,
    NAME_SUFFIXES,
    ORG_NOUNS,
    PERSON_ROLE_NOUNS,
    PRONOUNS_FEMALE,
    PRONOUNS_MALE,
    PRONOUNS_PERSON,
    ROLES_FEMALE,
    ROLES_MALE,
    TITLES,
    TITLES_FEMALE,
    TITLES_MALE,
    UNNAMED_SOURCE_NOUNS,
)
from .headlines import misread_headline, without_headline_verb

PERSON, ORG = "PERSON", "ORG"
MALE, FEMALE = "m", "f"
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
# Words that make a description someone other than the one named ("the second official").
_OTHER_ONE = frozenset({"second", "third", "another", "other", "one", "some", "several", "same"})
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
    gender: str | None = None
    main: bool = False
    sentence: int = -1  # where its sentence starts


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
    """The name without its titles: "Councillor Miriam Osei" is Miriam Osei. It ends
    where a word with no letters does (a dash the recogniser ran on through), and
    starts after any before it ('”― Carla Ek', a signature typed against the quote)."""
    words = _clean_tokens(text)
    while words and not any(c.isalpha() for c in words[0]):
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if not any(c.isalpha() for c in w)), None)
    if cut:
        words = words[:cut]
    comma = next((i for i, w in enumerate(words) if w.endswith(",")), None)
    if comma is not None:
        # "Tester, himself up for reelection": the name ends at its comma.
        words = words[:comma + 1]
        words[-1] = words[-1].rstrip(",")
    while len(words) > 1 and (words[0].lower().rstrip(".") in _TITLE_WORDS
                              or words[0].lower() in PERSON_ROLE_NOUNS):
        words = words[1:]
    return words


def _surname(words: list[str]) -> str:
    """The word a person is indexed by: the last, past a "Jr." ("Joseph R. Biden Jr.")."""
    core = [w for w in words if w.lower().rstrip(",") not in NAME_SUFFIXES] or words
    return core[-1].lower()


def _given_names(words: list[str]) -> list[str]:
    return [w for w in words if w.lower().rstrip(",") not in NAME_SUFFIXES][:-1]


def _person_key(words: list[str]) -> tuple[str, str]:
    """First name and surname, lower case: what the forms of one person's name share."""
    given = _given_names(words)
    return (given[0].lower() if given else "", _surname(words))


def with_title(ent: Span) -> str:
    """The name with a gendered title the recogniser left out ("Mrs." of "Mrs. Abedini"):
    it tells which of two Abedinis is meant."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ in GENDERED_TITLES:
        return f"{before.text} {ent.text}"
    return ent.text


def _title_gender(text: str) -> str | None:
    """"Mr. Clinton" is a man and "Mrs. Clinton" a woman, whatever their first names."""
    words = _clean_tokens(text)
    for word in words[:-1]:
        lower = word.lower()
        if lower in TITLES_MALE:
            return MALE
        if lower in TITLES_FEMALE:
            return FEMALE
    return None


# gender-guesser's country whose usage settles a first name's gender before the
# worldwide one.
_LOCAL_COUNTRY = "usa"


@cache
def _name_genders() -> gender_guesser.detector.Detector:
    # Built on first use, once per process: reading the dictionary takes about a second.
    return gender_guesser.detector.Detector(case_sensitive=False)


def first_name_gender(name: str) -> str | None:
    """The usual gender of a first name, from gender-guesser's dictionary of about
    40,000 names from many countries; None for unisex or unknown names."""
    if len(name.rstrip(".")) < 2:
        return None  # an initial
    # The names of the English-language press first: worldwide, the dictionary makes
    # "Nate" and "Rand" women's names (from other countries' use); in the USA they are men's.
    local = _name_genders().get_gender(name, _LOCAL_COUNTRY)
    if local in ("male", "female"):
        return MALE if local == "male" else FEMALE
    found = _name_genders().get_gender(name)
    # "mostly_female" is too weak: the dictionary says so of "Bernie"; and a name the
    # local usage leans the other way on ("Jean") is left open.
    if found == "male" and local != "mostly_female":
        return MALE
    if found == "female" and local != "mostly_male":
        return FEMALE
    return None


def _role_gender(roles: set[str]) -> str | None:
    if roles & ROLES_MALE:
        return MALE
    if roles & ROLES_FEMALE:
        return FEMALE
    return None


def pronoun_gender(word: str) -> str | None:
    lower = word.lower()
    return MALE if lower in PRONOUNS_MALE else FEMALE if lower in PRONOUNS_FEMALE else None


def _acronym(words: list[str]) -> str:
    caps = [w for w in words if w.lower() not in _ACRONYM_SKIP and w[:1].isupper()]
    return "".join(w[0] for w in caps) if len(caps) >= MIN_ACRONYM_LETTERS else ""


def _climb(token: Token) -> Token:
    steps = 0
    while token.dep_ in _LINKING_DEPS and token.head.i != token.i and steps < _SUBJECT_LINK_HOPS:
        token = token.head
        steps += 1
    return token


def is_subject(token: Token) -> bool:
    return _climb(token).dep_ in _SUBJECT_DEPS


def is_main_subject(token: Token) -> bool:
    """The subject of the sentence's own verb ("*Biden* said Obama was wrong"), the
    most likely person for a "he" in the next sentence to continue."""
    token = _climb(token)
    if token.dep_ not in _SUBJECT_DEPS:
        return False
    verb = token.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


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


@dataclass
class Person:
    """One person the article names fully: every form of the name ("Donald Trump",
    "Donald J. Trump") shares a first name and a surname."""
    name: str
    stated_gender: str | None  # by a title or role: "Mrs.", "spokeswoman"
    name_gender: str | None  # usual for the first name
    mentions: int = 0
    pronouns: Counter = field(default_factory=Counter)
    # genders that bare mentions of the surname carried by title ("Mr. Obama") before
    # this person was first named: someone else's
    titled_before: frozenset = frozenset()

    @property
    def gender(self) -> str | None:
        """What the article states ("Mr.", "spokeswoman"), then the first name's usual
        gender, then the pronouns the article uses in sentences about this person
        alone (a weaker sign: a person the recogniser missed may be the one meant)."""
        if self.stated_gender or self.name_gender:
            return self.stated_gender or self.name_gender
        if self.pronouns:
            (top, count), *rest = self.pronouns.most_common(2) + [(None, 0)]
            if count > rest[0][1]:
                return top
        return None


def _unrecognised_people(doc: Doc, ents: list[Span]) -> list[Span]:
    """A subject the recogniser missed that reads as a person's name: two or three
    capitalised proper nouns, the first a known first name ("Fox News' Bret Baier
    noticed ...")."""
    found = []
    for ent in ents:
        # "Fox News' Bret Baier" read as one organisation: its possessor and a person.
        marks = [t.i for t in ent if t.tag_ == "POS" or t.text in ("'", "\u2019")]
        if ent.label_ == "ORG" and marks and _first_name_and_surname(doc[marks[-1] + 1:ent.end]):
            found.append(Span(doc, marks[-1] + 1, ent.end, label="PERSON"))
    taken = {t.i for e in ents for t in e}
    for token in doc:
        if token.pos_ != "PROPN" or token.i in taken or token.dep_ not in _SUBJECT_DEPS:
            continue
        first = token.i
        while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].head.i == token.i \
                and doc[first - 1].pos_ == "PROPN" and doc[first - 1].i not in taken:
            first -= 1
        if _first_name_and_surname(doc[first:token.i + 1]):
            found.append(Span(doc, first, token.i + 1, label="PERSON"))
    return found


def _not_a_name(ent: Span) -> bool:
    """A one-word "person" the recogniser made of a verb ("Conceding that ..., he
    warned") or of a common noun modifying another ("Coal miners are smarting") is
    nobody: a pronoun after it must not take it for its antecedent."""
    word = ent[0]
    return len(ent) == 1 and (word.pos_ in ("VERB", "AUX")
                              or (word.pos_ == "NOUN" and word.dep_ == "compound"))


def _first_name_and_surname(words: Span) -> bool:
    return _FULL_NAME_WORDS <= len(words) <= _FULL_NAME_WORDS + 1 and all(
        t.is_alpha and t.text[:1].isupper() for t in words) and \
        first_name_gender(words[0].text) is not None


class EntityTracker:
    """Every named mention of one text (all chunks), in order of appearance."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.mentions: list[Mention] = []
        # surname -> (position, person) for every full-name mention
        self._persons_by_surname: dict[str, list[tuple[int, Person]]] = {}
        self._persons: dict[tuple[str, str], Person] = {}
        # surname -> genders its bare mentions carry by title ("Mr. Obama": male)
        self._titled_surnames: dict[str, set[str]] = {}
        self._orgs: list[tuple[int, str, list[str]]] = []
        self._bounds_of: Doc | None = None
        self._bounds: list[tuple[int, int, int]] = []
        self._starts: list[int] = []

    def add_doc(self, doc: Doc, offset: int, in_quote) -> None:
        placed: list[tuple[Span, Person]] = []
        ents = list(doc.ents)  # Doc.ents rebuilds its list on every access
        people = _unrecognised_people(doc, ents)
        reread = {t.i for person in people for t in person}
        for ent in [*(e for e in ents if e.start not in reread and e.end - 1 not in reread),
                    *people]:
            kind = _ENTITY_TYPES.get(ent.label_)
            if kind == PERSON:
                if _not_a_name(ent):
                    continue
                ent = without_headline_verb(self.text, ent, offset)
                if len(ent) > 1 and ent[0].tag_ == "MD" and ent.start == ent.sent.start and \
                        ent.sent.text.rstrip().endswith("?"):
                    ent = ent[1:]  # "Will Sanders come down ...?": the question's modal
            if kind is None or in_quote(ent.start_char + offset) or \
                    misread_headline(self.text, ent.start_char + offset, ent.end_char + offset):
                continue
            start = ent.start_char + offset
            if kind == PERSON:
                mention = self._add_person(ent, start, offset, placed)
                if mention is None:
                    continue
            else:
                words = _clean_tokens(ent.text)
                if not words:
                    continue
                self._orgs.append((start, " ".join(words), words))
                mention = Mention(start, ent.end_char + offset, " ".join(words), ORG,
                                  is_subject(ent.root))
            self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.start)
        self._count_pronouns(doc, ents, placed, in_quote, offset)

    def _add_person(self, ent: Span, start: int, offset: int,
                    placed: list[tuple[Span, Person]]) -> Mention | None:
        words = _person_words(ent.text)
        if not words:
            return None
        roles = _roles_of(ent)
        gender = _title_gender(with_title(ent)) or _role_gender(roles)
        if len(words) >= _FULL_NAME_WORDS and _person_key(words) not in self._persons \
                and (fuller := self._fuller(words, start, gender)) is not None:
            placed.append((ent, fuller))  # "Mr. Guajardo Villarreal", named fully before
        elif len(words) >= _FULL_NAME_WORDS:
            person = self._person(words, gender)
            person.mentions += 1
            self._persons_by_surname.setdefault(_surname(words), []).append((start, person))
            placed.append((ent, person))
        else:
            if gender:
                self._titled_surnames.setdefault(_surname(words), set()).add(gender)
            known = {id(p): p for _, p in self._candidates(words)}
            if len(known) == 1:
                person = next(iter(known.values()))
                if gender and gender in person.titled_before and person.gender != gender:
                    # "Mr. Obama", called so before Michelle Obama was named, is not her:
                    # his title does not override the gender of her first name.
                    pass
                else:
                    placed.append((ent, person))
                    # "Mr. Biden", when only one Biden is named, says he is a man.
                    if gender and person.stated_gender is None:
                        person.stated_gender = gender
        return Mention(start, ent.end_char + offset, " ".join(words), PERSON,
                       is_subject(ent.root), roles, gender,
                       is_main_subject(ent.root), self.sentence_of(ent)[2] + offset)

    def sentence_of(self, span: Span) -> tuple[int, int, int]:
        """(first token, end token, first character) of the span's sentence, from the
        boundaries read once per Doc (``Span.sent`` searches for them on every call)."""
        doc = span.doc
        if self._bounds_of is not doc:
            self._bounds_of = doc
            self._bounds = [(s.start, s.end, s.start_char) for s in doc.sents]
            self._starts = [b[0] for b in self._bounds]
        return self._bounds[bisect.bisect_right(self._starts, span.start) - 1]

    def _person(self, words: list[str], gender: str | None) -> Person:
        key = _person_key(words)
        person = self._persons.get(key)
        name = " ".join(words)
        if person is None:
            given = _given_names(words)
            person = self._persons[key] = Person(
                name, gender, first_name_gender(given[0]) if given else None,
                titled_before=frozenset(self._titled_surnames.get(_surname(words), ())))
        elif len(words) > len(person.name.split()):
            person.name = name  # the fullest form names the person
        if person.stated_gender is None:
            person.stated_gender = gender
        return person

    def _count_pronouns(self, doc: Doc, ents: list[Span], persons: list[tuple[Span, Person]],
                        in_quote, offset: int) -> None:
        """A sentence about one person alone ("Sanders said his campaign ...") tells
        which pronouns the article uses for that person."""
        by_sentence: dict[int, list[tuple[Span, Person]]] = {}
        for ent, person in persons:
            by_sentence.setdefault(self.sentence_of(ent)[0], []).append((ent, person))
        recognised: dict[int, int] = {}
        for e in ents:
            if e.label_ == "PERSON":
                key = self.sentence_of(e)[0]
                recognised[key] = recognised.get(key, 0) + 1
        for start, found in by_sentence.items():
            if len({id(p) for _, p in found}) != 1:
                continue
            ent, person = found[0]
            if not is_subject(ent.root):
                continue  # "Against Sanders on Tuesday, she lost": about someone else
            if recognised.get(start, 0) > len(found):
                continue  # another person, one we could not place, is in the sentence
            for token in doc[ent.end:self.sentence_of(ent)[1]]:
                # Only a subject pronoun: "her" may be anyone's ("Biden praised her").
                gender = pronoun_gender(token.lower_) if token.dep_ in _SUBJECT_DEPS else None
                if gender and not in_quote(token.idx + offset):
                    person.pronouns[gender] += 1

    def add_speaker(self, start: int, end: int, name: str, kind: str, sentence: int) -> None:
        """A resolved speaker is a strong antecedent for later pronouns."""
        self.mentions.append(Mention(start, end, name, kind, True, main=True, sentence=sentence))
        self.mentions.sort(key=lambda m: m.start)

    # ----------------------------------------------------------------- names
    def _choose(self, candidates: list[tuple[int, Person]], pos: int,
                gender: str | None) -> Person | None:
        """Which of the people sharing a name a bare "Clinton" means: one of the
        right gender (none: "Mrs. Abedini" is not her husband, the only Abedini
        named in full); the one named last if that was in this paragraph; else the
        one the article names most (its subject, not a relative mentioned in passing)."""
        if gender:
            candidates = [c for c in candidates if c[1].gender in (None, gender)]
            if not candidates:
                return None
        people = {id(p): p for _, p in candidates}
        before = [c for c in candidates if c[0] <= pos]
        nearest = max(before, key=lambda c: c[0]) if before else min(candidates, key=lambda c: c[0])
        if len(people) == 1 or (before and "\n" not in self.text[nearest[0]:pos]):
            return nearest[1]
        # On a tie, the one named first: an article introduces its subject before
        # the relatives and namesakes it mentions in passing.
        most = max(p.mentions for p in people.values())
        return next(p for _, p in sorted(candidates, key=lambda c: c[0]) if p.mentions == most)

    def _candidates(self, words: list[str]) -> list[tuple[int, Person]]:
        key = _surname(words)
        candidates = self._persons_by_surname.get(key)
        if not candidates:
            # A first name alone ("Hillary") matches a full name that starts with it.
            candidates = [(s, p) for lst in self._persons_by_surname.values()
                          for s, p in lst if p.name.split()[0].lower() == key]
        return candidates

    def person_name(self, text: str, pos: int) -> str:
        return self.person(text, pos)[0]

    def person(self, text: str, pos: int) -> tuple[str, str | None]:
        """The person's fullest name in the article and gender, for a mention."""
        words = _person_words(text)
        if not words:
            return text.strip(), None
        gender = _title_gender(text)
        if len(words) >= _FULL_NAME_WORDS:
            person = self._persons.get(_person_key(words))
            if person is None:
                person = self._fuller(words, pos, gender)
            if person is not None:
                return person.name, person.gender
            return " ".join(words), gender
        candidates = self._candidates(words)
        if gender is None and candidates and self._someone_else(words, candidates, pos):
            candidates = []
        person = self._choose(candidates, pos, gender) if candidates else None
        if person is not None:
            return person.name, person.gender
        return words[0], gender

    def _someone_else(self, words: list[str], candidates: list[tuple[int, Person]],
                      pos: int) -> bool:
        """"President Obama" early in an article that calls him "Mr. Obama" and names
        only Michelle Obama in full, further on: a bare surname before anyone with it is
        named in full means someone else, when the article titles that surname with a
        gender none of the people named in full has."""
        if any(start <= pos for start, _ in candidates):
            return False
        titled = self._titled_surnames.get(_surname(words), set())
        return bool(titled) and all(p.gender not in (None, *titled) for _, p in candidates)

    def _fuller(self, words: list[str], pos: int, gender: str | None) -> Person | None:
        """"Mr. Guajardo Villarreal" is Ildefonso Guajardo Villarreal: a mention that
        is the end of a fuller name (a two-word surname) is that person."""
        tail = " " + " ".join(words).lower()
        candidates = [(s, p) for s, p in self._persons_by_surname.get(_surname(words), [])
                      if p.name.lower().endswith(tail)]
        return self._choose(candidates, pos, gender) if candidates else None

    def known_person(self, text: str, pos: int) -> str | None:
        """The full name of a person this surname (or full name) belongs to, if any."""
        words = _person_words(text)
        if not words or not all(w[:1].isupper() for w in words):
            return None
        candidates = self._persons_by_surname.get(_surname(words))
        person = self._choose(candidates, pos, _title_gender(text)) if candidates else None
        return person.name if person is not None else None

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
    def _recent(self, pos: int, kind: str, window: int,
                gender: str | None = None, sentence: int = -1) -> Mention | None:
        """The mention a pronoun at ``pos`` continues: one earlier in its own sentence
        ("As for Trump, he said"); else, in the nearest sentence back that has one, a
        subject -- of the sentence's own verb first ("*Biden* said Obama was wrong. He
        added ..."); else the latest mention within ``window``."""
        if sentence >= 0:
            here = self._recent(pos, kind, pos - sentence, gender)
            if here is not None:
                return here
        best = fallback = None
        for mention in reversed(self.mentions):
            if mention.start >= pos:
                continue
            if mention.start < pos - window:
                break
            if mention.kind != kind:
                continue
            if gender and kind == PERSON and self._gender_of(mention) not in (None, gender):
                continue  # "she" is not the man named just before
            if best is not None and (mention.sentence != best.sentence or mention.sentence < 0):
                break  # the nearest sentence with a subject decides
            if mention.subject and (best is None or (mention.main and not best.main)):
                best = mention
            if fallback is None:
                fallback = mention
        return best or fallback

    def _gender_of(self, mention: Mention) -> str | None:
        return mention.gender or self.person(mention.name, mention.start)[1]

    def resolve_pronoun(self, word: str, pos: int,
                        sentence: int = -1) -> tuple[str | None, str | None]:
        if word.lower() in PRONOUNS_PERSON:
            mention = self._recent(pos, PERSON, _PRONOUN_WINDOW, pronoun_gender(word), sentence)
            if mention:
                return self.person_name(mention.name, mention.start), PERSON
        elif word.lower() == "it":
            mention = self._recent(pos, ORG, _IT_WINDOW)
            if mention and mention.subject:
                return self.org_name(mention.name, mention.start), ORG
        return None, None

    def _person_in_focus(self, pos: int, gender: str | None = None) -> Mention | None:
        """The person the text is about at ``pos``: the latest one named as a subject."""
        mention = self._recent(pos, PERSON, _DESCRIPTION_WINDOW, gender)
        return mention if mention and mention.subject else None

    def resolve_affiliated(self, pos: int, modifiers: frozenset[str] = frozenset()
                           ) -> tuple[str | None, str | None]:
        """"the Florida Republican": a person described by party is the person in focus,
        as "the senator" is ("another Republican" is someone else)."""
        mention = None if modifiers & _OTHER_ONE else self._person_in_focus(pos)
        if mention is None:
            return None, None
        return self.person_name(mention.name, mention.start), PERSON

    def resolve_description(self, head: str, pos: int, modifiers: frozenset[str] = frozenset(),
                            noun_modifiers: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
        """The entity a description means: the person introduced with that role (the
        one whose role shares most of its words: "the vice president" is not the
        president), else the person or organisation in focus -- but never for a
        source that is unnamed by nature ("the official", "the second aide") or a
        different role ("the band leader" is not the party's leader)."""
        head = head.lower()
        if modifiers & _OTHER_ONE:
            return None, None  # "the second official", "another aide": someone else
        if head in PERSON_ROLE_NOUNS:
            gender = _role_gender({head})
            titled = [m for m in reversed(self.mentions)
                      if m.start < pos and m.kind == PERSON and head in m.roles]
            if titled:
                best = max(titled, key=lambda m: len(m.roles & modifiers))
                return self.person_name(best.name, best.start), PERSON
            if head in UNNAMED_SOURCE_NOUNS:
                return None, None
            mention = self._person_in_focus(pos, gender)
            if mention and noun_modifiers <= mention.roles:
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
