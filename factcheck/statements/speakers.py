"""The stored Speaker behind each speaker the extractor found: one speaker per real person or
organisation.

- Only a name makes a speaker. A pronoun ("he"), a description ("the official", "a
  spokesman", "U.S. officials", "the city's mayor"), a headline ("Council Approves New Cycle
  Lanes") or punctuation names different people in different articles: the statement keeps
  the mention as written and no speaker.
- A name links to the speaker whose canonical name it is (the oldest, if an editor has not
  merged two yet), else to the one speaker that has it as an alias. A form that is an alias of
  two speakers ("Clinton", of Bill and of Hillary Clinton) links to neither: the statement is
  left for an editor rather than given to the wrong one. Otherwise the name makes a new
  speaker. A full name never links to a speaker with another full name.
- A mention becomes an alias of its speaker only when it names the same one: its words are
  words of the speaker's name ("Clinton", "President Biden" for Joe Biden) or the name's
  initials ("NATO"); "Hillary Clinton" never becomes an alias of Bill Clinton.
- Creation is race-safe: names are looked up again under the lock create_speaker takes, so
  two workers (or a worker and an editor) create one speaker, not two.
"""

import re

from django.db import IntegrityError, transaction

from factcheck.extract import Speaker as FoundSpeaker
from factcheck.models import Speaker, SpeakerAlias, hold_locks, normalize_text, speaker_key, speaker_lock

PRONOUNS = {
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "himself", "she", "her",
    "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "who",
    "whom", "whose", "which", "that", "this", "these", "those", "one", "someone", "somebody",
    "anyone", "everyone", "everybody", "nobody", "none", "each", "both", "either", "neither",
}
DETERMINERS = {
    "the", "a", "an", "some", "many", "several", "all", "most", "few", "other", "another",
    "such", "any", "every", "no", "two", "three", "four", "five", "six", "ten", "dozens",
    "hundreds", "thousands", "various", "numerous", "senior", "top", "former", "new", "local",
}
# Common nouns that stand for a speaker without naming one; capitalised they are still no
# name ("Officials said", "The Ministry said"), though they may end one ("Harbour City Council").
ROLE_NOUNS = {
    "official", "officials", "spokesman", "spokeswoman", "spokesperson", "spokespeople",
    "source", "sources", "aide", "aides", "adviser", "advisers", "advisor", "advisors", "analyst",
    "analysts", "expert", "experts", "critic", "critics", "observer", "observers", "resident",
    "residents", "witness", "witnesses", "authorities", "authority", "police", "officer",
    "officers", "spokespersons", "lawmaker", "lawmakers", "legislator", "legislators",
    "minister", "ministers", "ministry", "government", "administration", "president",
    "vice", "prime", "premier", "chancellor", "mayor", "governor", "senator", "senators",
    "congressman", "congresswoman", "representative", "representatives", "secretary", "chief",
    "head", "director", "leader", "leaders", "chairman", "chairwoman", "chair", "ceo",
    "executive", "executives", "manager", "statement", "report", "study", "survey", "agency",
    "department", "office", "company", "firm", "group", "organisation", "organization",
    "newspaper", "paper", "daily", "magazine", "broadcaster", "network", "channel", "party",
    "union", "council", "committee", "commission", "court", "judge", "prosecutor",
    "prosecutors", "lawyer", "lawyers", "attorney", "attorneys", "campaigner", "campaigners",
    "activist", "activists", "protester", "protesters", "doctor", "doctors", "scientist",
    "scientists", "researcher", "researchers", "economist", "economists", "teacher", "teachers",
    "worker", "workers", "people", "person", "man", "woman", "men", "women", "family", "member",
    "members", "team", "board", "staff", "country", "nation", "cabinet", "military", "army",
    "regime", "opposition", "candidate", "nominee", "incumbent", "challenger",
    "user", "users", "poster", "voter", "voters", "citizen", "citizens", "victim", "victims",
}
# Words before a name that are no part of it ("Mr Clinton", "President Biden").
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "sen", "rep", "gov", "gen", "general", "col", "capt", "captain", "lt", "sgt", "rev",
    "reverend", "hon", "judge", "justice", "king", "queen", "prince", "princess", "pope", "saint",
    "st", "father", "sister", "brother", "rabbi", "imam", "sheikh", "ambassador", "commissioner",
    "inspector", "detective", "coach", "mp", "mep", "jr", "sr",
}
# Lowercase words inside names ("Bank of England", "Ludwig van Beethoven", "Bashar al-Assad").
PARTICLES = {
    "of", "the", "de", "da", "do", "dos", "das", "du", "des", "del", "della", "di", "van", "von",
    "der", "den", "ter", "te", "al", "el", "bin", "ibn", "ben", "bint", "la", "le", "los", "las",
    "y", "e", "and", "&", "for", "on", "in", "zu", "af", "av",
}
# Title Case headline verbs ("Council Approves New Cycle Lanes"): no word of a name.
HEADLINE_WORDS = {
    "says", "approves", "approved", "announces", "warns", "urges", "vows", "slams",
    "rejects", "blames", "calls", "claims", "denies", "plans", "faces", "seeks", "admits",
    "insists", "threatens", "agrees", "votes", "bans", "cuts", "raises", "delays", "unveils",
    "launches", "defends", "demands", "pledges", "promises", "condemns", "criticises",
    "criticizes", "welcomes", "confirms", "reveals", "signs", "orders", "halts", "scraps",
    "suspends", "boosts", "extends", "expands", "is", "are", "was", "were", "has", "have", "had",
    "would", "could", "should", "to", "amid", "over", "after", "into",
    "than", "not", "why", "how", "what", "when", "where",
}
NOT_NAMING = PRONOUNS | DETERMINERS | ROLE_NOUNS | TITLES | PARTICLES
# More words than this (besides particles) is a phrase, not a name.
MAX_NAME_WORDS = 8
# A name holds letters, digits, spaces, hyphens, apostrophes, full stops and ampersands only.
NOT_IN_NAMES = re.compile(r"[^\w\s\-'’.&]|_|\n")
ORGANIZATION_TYPES = {"ORG", "NORP", "GPE"}


def _words(text: str) -> list[str]:
    return [w.strip(".") for w in normalize_text(text).split() if w.strip(".")]


def _capitalised(word: str) -> bool:
    """"Assad" in "al-Assad", "O'Brien", "NATO", "3M"; a script without case ("习近平") counts."""
    for part in re.split(r"[-'’]", word):
        letter = next((c for c in part if c.isalpha()), None)
        if letter is not None and (letter.isupper() or not letter.islower()):
            return True
    return False


def _bare(word: str) -> str:
    return word.casefold().removesuffix("'s").removesuffix("’s")


def is_a_name(text: str | None) -> bool:
    """Whether `text` names someone: every word capitalised but particles ("Bank of England"),
    and at least one capitalised word that is no pronoun, determiner, title or role noun."""
    if not text or NOT_IN_NAMES.search(text):
        return False
    words = _words(text)
    if not words or len([w for w in words if w.casefold() not in PARTICLES]) > MAX_NAME_WORDS:
        return False
    for i, word in enumerate(words):
        folded = word.casefold()
        if not any(c.isalpha() for c in word):
            continue  # "Channel 4", "Group of 20"
        if not _capitalised(word) and folded not in PARTICLES:
            return False  # "U.S. officials", "the city's mayor", "he"
        if folded in HEADLINE_WORDS and (i or len(words) == 1):
            return False  # "Council Approves New Cycle Lanes"
        if _bare(word) != folded and i < len(words) - 1:
            return False  # a possessive followed by more: "Trump's Spokeswoman"
    return any(_bare(w) not in NOT_NAMING and any(c.isalpha() for c in w) for w in words)


def _name_words(text: str) -> list[str]:
    return [_bare(w) for w in _words(text) if _bare(w) not in NOT_NAMING]


def names_the_same(mention: str, name: str) -> bool:
    """Whether `mention` may become an alias of the speaker called `name`: a name whose words
    are all words of it ("Clinton", "President Biden" for Joe Biden), or its initials ("NATO",
    "The BBC" for the British Broadcasting Corporation)."""
    if not is_a_name(mention):
        return False
    said, full = _name_words(mention), _name_words(name)
    if not said or not full:
        return False
    if set(said) <= set(full):
        return True
    initials = "".join(w[0] for w in _words(name) if w.casefold() not in PARTICLES).casefold()
    return len(said) == 1 and len(said[0]) > 1 and said[0].replace(".", "") == initials


class _Known:
    """The speakers a resolution has seen, with their aliases as they stand at each point."""

    def __init__(self):
        self.speakers: dict[int, Speaker] = {}
        self.aliases: dict[int, set[str]] = {}

    def add(self, speaker: Speaker, aliases=()) -> None:
        self.speakers.setdefault(speaker.pk, speaker)
        self.aliases.setdefault(speaker.pk, set()).update(aliases)

    def find(self, key: str) -> tuple[Speaker | None, bool]:
        """(the speaker `key` names, whether it is ambiguous)."""
        named = [s for s in self.speakers.values() if speaker_key(s.name) == key]
        if named:
            return min(named, key=lambda s: s.pk), False
        aliased = [s for pk, s in self.speakers.items() if key in self.aliases[pk]]
        if len(aliased) > 1:
            return None, True
        return (aliased[0] if aliased else None), False


def resolve_speakers(found: list[FoundSpeaker | None]) -> list[Speaker | None]:
    """The stored speaker of each extracted one (None where nobody is named, or the name is
    ambiguous), created on first sight, with each mention that names the same one kept as an
    alias (see the module's docstring for the rules).

    Every name is looked up at once; each is then resolved in order as if looked up alone, so
    speakers created and aliases added for earlier quotes count for later ones. The new aliases
    are stored together at the end."""
    names = {speaker_key(f.name): f.name for f in found if f and is_a_name(f.name)}
    known = _Known()
    with transaction.atomic():  # the locks below last until the caller's transaction ends
        _look_up(known, names.values())
        unknown = [name for key, name in names.items() if known.find(key) == (None, False)]
        if unknown:
            # Looked up again under the lock create_speaker takes: a speaker another worker or an
            # editor created since (committed while we waited) is found, not created twice.
            hold_locks(speaker_lock(name) for name in unknown)
            _look_up(known, unknown)
        new_aliases: dict[tuple[int, str], SpeakerAlias] = {}
        speakers = []
        for one in found:
            speaker = _resolve(one, known, new_aliases) if one is not None else None
            speakers.append(speaker)
        # Aliases the speaker already has stay as they are.
        SpeakerAlias.objects.bulk_create(new_aliases.values(), ignore_conflicts=True)
    return speakers


def _look_up(known: _Known, names) -> None:
    for speaker in Speaker.objects.answering_to(names):
        known.add(speaker, (a.normalized for a in speaker.aliases.all()))


def _resolve(one: FoundSpeaker, known: _Known, new_aliases: dict) -> Speaker | None:
    if not is_a_name(one.name):
        return None
    key = speaker_key(one.name)
    speaker, ambiguous = known.find(key)
    if ambiguous:
        return None
    if speaker is None:
        kind = Speaker.Kind.ORGANIZATION if one.entity_type in ORGANIZATION_TYPES else Speaker.Kind.PERSON
        speaker = _create(normalize_text(one.name)[:200], kind)
        known.add(speaker)
    mention = normalize_text(one.mention or "")  # as Speaker.add_alias stores it
    alias = speaker_key(mention)
    if alias != speaker_key(speaker.name) and names_the_same(mention, speaker.name):
        known.add(speaker, [alias])
        new_aliases.setdefault((speaker.pk, alias), SpeakerAlias(speaker=speaker, alias=mention,
                                                                 normalized=alias))
    return speaker


def _create(name: str, kind: str, attempts: int = 3) -> Speaker:
    # Two names with one slug ("José Díaz", "Jose Diaz") created at once: the second one to
    # insert takes the next free slug instead of failing the extraction.
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                speaker = Speaker(name=name, kind=kind)
                speaker.save()
                return speaker
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
