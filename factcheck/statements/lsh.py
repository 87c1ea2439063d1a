"""Near-repeat hashing of statement texts: pure Python + numpy, no Django.

pg_trgm's trigram similarity, and MinHash LSH bands and b-bit sketches over the trigram sets,
so that matching.py's search for earlier appearances reads only the rows sharing a band with
a new statement. Every hash is seeded from fixed labels: stored bands must match new ones in
every process and on every machine.
"""

import bisect
import hashlib
import re
from typing import NamedTuple

import numpy as np

# Same words with a changed word, an ellipsis or a spelling variant land well above this;
# a paraphrase or another sentence by the same speaker lands below (see tests/test_matching.py).
# matching.py groups texts this similar as one quote; the bands below are chosen for it.
APPEARANCE_THRESHOLD = 0.7
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before, one after."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    return jaccard(trigrams(a), trigrams(b))


def jaccard(ta: set[str], tb: set[str]) -> float:
    """pg_trgm's similarity of two texts' trigram sets (for sets computed once and reused)."""
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# MinHash LSH over the trigram sets, so the search for earlier appearances reads the few rows
# that share a band with the new statement instead of the posting lists of all its trigrams
# (those of common words hold most of the table). Two texts with trigram similarity J share at
# least one of the LSH_BANDS bands of LSH_ROWS minhashes with probability 1 - (1 - J**7)**62:
# 0.995 at J = 0.7 (APPEARANCE_THRESHOLD), 0.9999995 at 0.8, 0.04 at 0.35 and 0.0008 at 0.2
# (random pairs of this data). More rows per band would cut candidates further but cost more
# bands (index entries) for the same recall at 0.7. The exact similarity() is checked after.
LSH_BANDS, LSH_ROWS = 62, 7
# Similarity J bounds the sizes of the two trigram sets: J <= smaller / larger. Each stored band
# is salted with its text's size class, and a new text looks up its bands salted with every class
# within [0.69 n, n / 0.69] of its own size n (0.69, not 0.7: room for rounding): rows of other
# sizes are never read, with no loss of recall. Each class starts 2.25 times further than the one
# before, so that range (a factor of 2.1) spans at most 2 classes: a search makes at most 2 lookups
# a band (with classes a quarter apart, as until migration 0016, it made 4 or 5: 310 index
# descents a quote, the largest part of ingest's database time). The wider classes let in rows
# of sizes that cannot be similar; sharing a band (7 equal minhashes) is rare for those.
_SIZE_CLASS_STARTS = [1]
while _SIZE_CLASS_STARTS[-1] < 100_000:
    _SIZE_CLASS_STARTS.append(_SIZE_CLASS_STARTS[-1] * 9 // 4 + 1)
# The rows sharing a band with a new quote are checked with pg_trgm's similarity(), about 12 us a
# row: the trigrams of both texts are extracted and sorted at every call. At a million statements
# a short quote of common words shares a band with 1,400 to 1,800 rows of similarity 0.3-0.6, and
# similarity() took half of its search. So each statement also stores a sketch: one bit of each
# of its LSH_BANDS * LSH_ROWS minhashes (b-bit minwise hashing, Li and Koenig, WWW 2010). Two
# bits agree with probability (1 + J) / 2: at J = 0.7 the 434 bits differ in 65 places on
# average (s.d. 7.4), at 0.5 in 109 and at 0.4 in 130. Rows whose sketch differs from the new
# text's in more than SKETCH_MAX_DIFFERING bits are not checked: at J = 0.7 that drops a true
# repeat sharing a band with probability 2e-6 (binomial, the band's 7 bits agreeing), against
# 0.76 for a row at 0.5 and 0.9985 at 0.4.
# (At a million statements, reading 1,366 such rows and comparing their sketches took 1.8 ms.)
SKETCH_MAX_DIFFERING = 100

# Fact-check matching looks for published fact-checks whose words are at least 0.35 similar to a
# new statement (matching.FACTCHECK_THRESHOLD): far below the bands above, which find 0.35
# similar pairs 4% of the time. Its candidates come from bands of their own, MATCH_ROWS
# minhashes each, from the same minhashes (the first MATCH_BANDS * MATCH_ROWS of them): a pair
# of similarity J shares one with probability 1 - (1 - J**3)**70, 0.953 at J = 0.35, 0.989 at
# 0.4, 0.9997 at 0.5, but 0.15 at 0.13 and 0.02 at 0.07, where nearly all pairs of unrelated
# statements are (sharing function words' trigrams). Until 6 Dec the candidates were the rows
# sharing at least 0.35 of a statement's trigrams, through pg_trgm's index: 154 a statement
# against 1,000 published fact-checks, each checked with similarity(); with these bands, 30
# (docs/matching.md). More rows a band would cut them further but need many more bands (at 4
# rows, 200) for the same recall, and each band is an index lookup for every statement.
MATCH_BANDS, MATCH_ROWS = 70, 3
# Then, as for appearances, rows whose sketch differs from the statement's in more bits than
# this are not compared: at J = 0.35 the 434 bits differ in 141 places on average (s.d. 9.8),
# so 165 drops 0.6% of the pairs at exactly 0.35 and 0.02% at 0.4; it drops 80% of the pairs at
# 0.2 and 97% at 0.15 that share a band.
MATCH_SKETCH_MAX_DIFFERING = 165


def _seeded_u64(label: bytes) -> int:
    """A fixed 64-bit number: the hash functions must be the same in every process and on
    every machine, or stored bands would stop matching new ones (so no hash(), no RNG)."""
    return int.from_bytes(hashlib.blake2b(label, digest_size=8).digest(), "little")


_MINHASHES = LSH_BANDS * LSH_ROWS
# The sketch holds one bit of each minhash (Statement.sketch is this wide).
SKETCH_BITS = _MINHASHES
_MULTIPLY = np.array([_seeded_u64(b"lsh-multiply-%d" % i) | 1 for i in range(_MINHASHES)], dtype=np.uint64)
_ADD = np.array([_seeded_u64(b"lsh-add-%d" % i) for i in range(_MINHASHES)], dtype=np.uint64)
_BAND_MIX = np.array([_seeded_u64(b"lsh-band-%d" % i) | 1 for i in range(_MINHASHES)],
                     dtype=np.uint64).reshape(LSH_BANDS, LSH_ROWS)
_MATCH_MIX = np.array([_seeded_u64(b"lsh-match-band-%d" % i) | 1 for i in range(MATCH_BANDS * MATCH_ROWS)],
                      dtype=np.uint64).reshape(MATCH_BANDS, MATCH_ROWS)
# Each match band salted with its position: band 3 of one text only ever meets band 3 of another.
_MATCH_SALT = np.array([_seeded_u64(b"lsh-match-salt-%d" % i) >> 32 for i in range(MATCH_BANDS)],
                       dtype=np.uint32)
_SIZE_SALT = np.array([_seeded_u64(b"lsh-size-%d" % i) >> 32 for i in range(len(_SIZE_CLASS_STARTS) + 1)],
                      dtype=np.uint32)


def _size_class(size: int) -> int:
    return bisect.bisect_right(_SIZE_CLASS_STARTS, size)


def _size_classes_near(size: int) -> range:
    """The size classes of every trigram set that can be APPEARANCE_THRESHOLD similar to one of
    `size` trigrams (integer arithmetic: the same on every machine)."""
    return range(_size_class(size * 69 // 100), _size_class(-(-size * 100 // 69)) + 1)


def _word_minhashes(word_grams: list[set[str]], chunk: int = 1024) -> np.ndarray:
    """One row of minhashes per word over the word's trigrams. A text's trigram set is the
    union of its words' sets, so its minhashes are the minimum of its words' rows: computed
    per distinct word, not per trigram of every text. In chunks: a million texts bring some
    hundred thousand distinct words, whose trigrams times the hash functions would take GBs."""
    out = np.empty((len(word_grams), _MINHASHES), dtype=np.uint32)
    for c in range(0, len(word_grams), chunk):
        grams, starts = [], []
        for word in word_grams[c:c + chunk]:
            starts.append(len(grams))
            grams.extend(word)
        keys = np.array([_seeded_u64(g.encode()) for g in grams], dtype=np.uint64)
        with np.errstate(over="ignore"):  # multiply-shift hashing wraps modulo 2**64 by design
            hashed = ((keys[:, None] * _MULTIPLY[None, :] + _ADD[None, :]) >> np.uint64(32)).astype(np.uint32)
        out[c:c + chunk] = np.minimum.reduceat(hashed, np.array(starts, dtype=np.intp), axis=0)
    return out


def _band_hashes(texts: list[str], chunk: int = 512
                 ) -> tuple[list[np.ndarray | None], list[int], list[str], list[list[int]]]:
    """Each text's unsalted band hashes (uint32; None for a text without words), the size of
    its trigram set, its sketch ('' without words) and its match bands ([] without words),
    vectorised over the whole list. Most of LSH's cost to ingest (about 0.2 ms a quote): a
    batch computes it once (bands_and_probes)."""
    wordsets = [sorted(set(_WORD.findall(text.lower()))) for text in texts]
    vocabulary: dict[str, int] = {}
    for words in wordsets:
        for word in words:
            vocabulary.setdefault(word, len(vocabulary))
    word_grams = [trigrams(word) for word in vocabulary]
    sizes = [len(set().union(*(word_grams[vocabulary[w]] for w in words))) for words in wordsets]
    result: list[np.ndarray | None] = [None] * len(texts)
    sketches = [""] * len(texts)
    match_bands: list[list[int]] = [[] for _ in texts]
    if not vocabulary:
        return result, sizes, sketches, match_bands
    per_word = _word_minhashes(word_grams)
    with_words = [i for i, words in enumerate(wordsets) if words]
    for c in range(0, len(with_words), chunk):  # a chunk's gathered rows stay a few MB
        batch = with_words[c:c + chunk]
        lengths = np.array([len(wordsets[i]) for i in batch])
        rows = np.fromiter((vocabulary[w] for i in batch for w in wordsets[i]), dtype=np.intp,
                           count=int(lengths.sum()))
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        minhashes = np.minimum.reduceat(per_word[rows], starts, axis=0).astype(np.uint64)
        bits = (minhashes & np.uint64(1)).astype(np.uint8) + ord("0")  # as '0'/'1' characters
        with np.errstate(over="ignore"):
            mixed = (minhashes.reshape(len(batch), LSH_BANDS, LSH_ROWS) * _BAND_MIX).sum(
                axis=2, dtype=np.uint64) >> np.uint64(32)
            matched = (minhashes[:, :MATCH_BANDS * MATCH_ROWS].reshape(len(batch), MATCH_BANDS, MATCH_ROWS)
                       * _MATCH_MIX).sum(axis=2, dtype=np.uint64) >> np.uint64(32)
        matched = matched.astype(np.uint32) ^ _MATCH_SALT
        for i, bands, sketch, match in zip(batch, mixed.astype(np.uint32), bits, matched, strict=True):
            result[i] = bands
            sketches[i] = sketch.tobytes().decode("ascii")
            match_bands[i] = match.view(np.int32).tolist()
    return result, sizes, sketches, match_bands


def _salted(bands: np.ndarray, size_class: int) -> list[int]:
    return (bands ^ _SIZE_SALT[size_class]).view(np.int32).tolist()


class Probe(NamedTuple):
    """What a search for earlier appearances of a text looks up (`keys`: its band hashes salted
    with every size class a similar enough text can have) and compares (`sketch`)."""
    keys: list[int]
    sketch: str


def _stored(bands: list[np.ndarray | None], sizes: list[int], sketches: list[str],
            match_bands: list[list[int]]) -> list[dict]:
    return [{"bands": [] if b is None else _salted(b, _size_class(n)), "sketch": sketch, "match_bands": match}
            for b, n, sketch, match in zip(bands, sizes, sketches, match_bands, strict=True)]


def _probes(bands: list[np.ndarray | None], sizes: list[int], sketches: list[str],
            match_bands: list[list[int]]) -> list[Probe]:
    return [Probe([] if b is None else [key for near in _size_classes_near(n) for key in _salted(b, near)],
                  sketch) for b, n, sketch in zip(bands, sizes, sketches, strict=True)]


def stored_fields(texts: list[str]) -> list[dict]:
    """What a statement stores to be found by its near repeats and by fact-check matching, as
    Statement field values: `bands`, the LSH band hashes (int4) of its text's pg_trgm trigram
    set salted with the set's size class ([] for a text without words), `sketch`, one bit of
    each minhash, and `match_bands`, the bands fact-check matching looks up (MATCH_BANDS of
    them, [] likewise)."""
    return _stored(*_band_hashes(texts))


def lsh_fields(texts: list[str]) -> list[dict]:
    """The `bands` and `sketch` of stored_fields: what migrations 0010 and 0016 stored, with the
    models of their time (which have no match_bands)."""
    return [{"bands": fields["bands"], "sketch": fields["sketch"]} for fields in stored_fields(texts)]


def match_fields(texts: list[str]) -> list[tuple[list[int], str]]:
    """(match_bands, sketch) of each text: what fact-check matching compares, for a published
    fact-check's claim as for a statement's words."""
    return [(fields["match_bands"], fields["sketch"]) for fields in stored_fields(texts)]


# The Statement fields stored_fields fills: they follow the text (Model.save, edits, re-extraction).
LSH_FIELDS = ("bands", "sketch", "match_bands")


def set_lsh_fields(statements: list, fields: list[dict] | None = None) -> None:
    """Give each statement the stored_fields of its text (`fields`, when the caller has them):
    bulk_create, bulk_update and Model.save() before its write all go through here."""
    if fields is None:
        fields = stored_fields([s.text for s in statements])
    for statement, values in zip(statements, fields, strict=True):
        for name in LSH_FIELDS:
            setattr(statement, name, values[name])


def statement_bands(texts: list[str]) -> list[list[int]]:
    """The `bands` of stored_fields."""
    return [fields["bands"] for fields in lsh_fields(texts)]


def probe_bands(texts: list[str]) -> list[Probe]:
    """What a search for earlier appearances of each text looks up and compares."""
    return _probes(*_band_hashes(texts))


def bands_and_probes(texts: list[str]) -> tuple[list[dict], list[Probe]]:
    """stored_fields and probe_bands of the same texts, for the price of one."""
    hashes = _band_hashes(texts)
    return _stored(*hashes), _probes(*hashes)
