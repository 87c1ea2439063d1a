"""Features of an already-parsed span, computed from arrays spaCy has already filled.

Everything here reads `doc.to_array(...)` once per Doc and `doc.tensor`, then slices with
numpy: a per-token Python loop would cost a noticeable share of the parse itself, and the
claim scorer has to stay inside the extraction budget (<= 1.20x a bare `nlp.pipe`).

Three blocks per span:
- symbolic counts: coarse and fine POS, dependency labels, entity types, a small lexicon
  of function words that mark questions, opinions, promises, attribution and quantities,
  and a few sentence-shape flags. These carry what generalises across debates and news.
- pooled tok2vec context vectors (mean and max of `doc.tensor` over the span).
- hashed lemma unigrams and bigrams, with numbers and named entities replaced by their
  type so the model learns "<CARDINAL> percent of", not one debate's figures and names.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, IS_PUNCT, LEMMA, LIKE_NUM, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The label sets of en_core_web_sm 3.8; a label outside them is simply not counted.
TAGS = _words(
    "$ '' , -LRB- -RRB- . : ADD AFX CC CD DT EX FW HYPH IN JJ JJR JJS LS MD NFP NN NNP NNPS "
    "NNS PDT POS PRP PRP$ RB RBR RBS RP SYM TO UH VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB XX _SP "
    "``"
)
DEPS = _words(
    "ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj "
    "csubj csubjpass dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass "
    "nummod oprd parataxis pcomp pobj poss preconj predet prep prt punct quantmod relcl xcomp"
)
ENTS = _words(
    "CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PERSON PRODUCT "
    "QUANTITY TIME WORK_OF_ART"
)
UPOS = _words(
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X SPACE"
)

# Word classes chosen for what they say about check-worthiness, not for any one data set.
LEXICON: dict[str, tuple[str, ...]] = {
    "first_sg": ("i", "me", "my", "mine", "myself"),
    "first_pl": ("we", "us", "our", "ours", "ourselves"),
    "second": ("you", "your", "yours", "yourself", "yourselves"),
    "third": ("he", "she", "they", "him", "her", "them", "his", "their", "it", "its"),
    "wh": ("what", "why", "how", "who", "whom", "which", "when", "where", "whether"),
    "modal_future": ("will", "'ll", "would", "shall", "going", "gonna"),
    "modal_obligation": ("should", "must", "ought", "need", "needs", "have", "has"),
    "modal_possibility": ("can", "could", "may", "might"),
    "negation": ("not", "n't", "never", "no", "nobody", "nothing", "none"),
    "comparison": ("than", "more", "less", "fewer", "most", "least", "higher", "lower",
                   "increase", "increased", "decrease", "decreased", "doubled", "tripled",
                   "cut", "raised", "grew", "fell", "rose", "dropped"),
    "quantity": ("percent", "%", "million", "billion", "trillion", "thousand", "hundred",
                 "half", "dozen", "average", "rate", "number", "times", "per", "$"),
    "time": ("year", "years", "ago", "since", "last", "today", "month", "months", "week",
             "decade", "decades", "century", "first", "record", "ever", "history"),
    "hedge": ("maybe", "perhaps", "probably", "think", "believe", "feel", "hope", "guess",
              "frankly", "honestly", "really", "very", "so", "just", "well"),
    "thanks": ("thank", "thanks", "congratulations", "welcome", "pleasure", "appreciate",
               "glad", "happy", "honor", "honored", "privilege"),
    "discourse": ("oh", "yes", "yeah", "okay", "ok", "let", "please", "look", "listen",
                  "question", "answer", "senator", "governor", "president", "mr.", "sir"),
    "evaluative": ("good", "bad", "great", "terrible", "wrong", "right", "best", "worst",
                   "important", "disaster", "ridiculous", "failed", "strong", "weak"),
    "threat": ("touch", "regret", "destroy", "respond", "retaliate", "warn", "dare"),
    "legislation": ("law", "bill", "tax", "taxes", "budget", "deficit", "debt", "vote",
                    "voted", "votes", "signed", "passed", "program", "plan", "spending",
                    "spent", "jobs", "unemployment", "economy", "troops", "killed", "died"),
}
# Lemma classes (lemma-based so "said", "says", "told" all count).
LEMMA_CLASSES: dict[str, tuple[str, ...]] = {
    "speech": ("say", "tell", "claim", "state", "announce", "report", "add", "warn", "vow",
               "predict", "describe", "accuse", "confirm", "deny", "insist", "write", "note",
               "according", "acknowledge", "admit", "argue", "promise", "declare"),
    "opinion": ("think", "believe", "feel", "hope", "want", "wish", "like", "love", "hate",
                "agree", "disagree", "guess", "suppose", "know", "understand", "doubt"),
    "event": ("move", "deploy", "send", "kill", "attack", "invade", "build", "create", "lose",
              "sign", "pass", "vote", "cut", "raise", "spend", "cost", "increase", "decrease",
              "double", "triple", "reduce", "grow", "fall", "rise", "drop", "launch", "hold",
              "arrest", "sanction", "ban", "fund", "pay", "borrow", "win", "elect", "serve"),
}

SHAPE_FLAGS = (
    "ends_question", "ends_exclaim", "starts_wh", "starts_aux", "starts_cc", "has_digit",
    "has_quote", "len_le5", "len_6_10", "len_11_20", "len_21_40", "len_gt40", "no_verb",
    "root_vbd", "root_vbz_vbp", "root_vb", "root_md", "root_vbn", "root_vbg", "root_other",
    "subj_first_sg", "subj_first_pl", "subj_second", "imperative", "has_entity",
    "has_number_entity", "root_speech", "root_opinion", "root_event",
)

TENSOR_WIDTH = 96
_MISSING = np.uint64(0)
_ARRAY_ATTRS = [POS, TAG, DEP, ENT_TYPE, ENT_IOB, LEMMA, LOWER, LIKE_NUM, IS_PUNCT]
_C_POS, _C_TAG, _C_DEP, _C_ENT, _C_IOB, _C_LEMMA, _C_LOWER, _C_NUM, _C_PUNCT = range(9)
_NUM_KEY = np.uint64(get_string_id("<NUM>"))
_BIGRAM_MULT = np.uint64(0x9E3779B97F4A7C15)


class _Table:
    """Vectorised uint64 -> feature-column lookup (unknown keys map to -1)."""

    def __init__(self, mapping: dict[int, int]):
        keys = np.array(sorted(mapping), dtype=np.uint64)
        self.keys = keys
        self.cols = np.array([mapping[int(k)] for k in keys], dtype=np.int64)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0:
            return np.full(len(values), -1, dtype=np.int64)
        pos = np.searchsorted(self.keys, values)
        pos = np.minimum(pos, len(self.keys) - 1)
        return np.where(self.keys[pos] == values, self.cols[pos], -1)


class Featurizer:
    def __init__(self, n_hash: int = 2**14, use_tensor: bool = True):
        self.n_hash = n_hash
        self.use_tensor = use_tensor
        names: list[str] = []

        def block(prefix: str, items) -> dict[int, int]:
            mapping = {}
            for item in items:
                mapping[get_string_id(item)] = len(names)
                names.append(f"{prefix}={item}")
            return mapping

        pos_map = {}
        for p in UPOS:
            pos_map[POS_IDS[p]] = len(names)
            names.append(f"pos={p}")
        self._pos = _Table(pos_map)
        self._tag = _Table(block("tag", TAGS))
        self._dep = _Table(block("dep", DEPS))
        self._ent = _Table(block("ent", ENTS))
        lex_map: dict[int, int] = {}
        for cls, words in LEXICON.items():
            col = len(names)
            names.append(f"lex={cls}")
            for w in words:
                lex_map.setdefault(get_string_id(w), col)
        self._lex = _Table(lex_map)
        lemma_map: dict[int, int] = {}
        self._lemma_class_col: dict[str, int] = {}
        for cls, lemmas in LEMMA_CLASSES.items():
            col = len(names)
            self._lemma_class_col[cls] = col
            names.append(f"lemma={cls}")
            for w in lemmas:
                lemma_map.setdefault(get_string_id(w), col)
        self._lemma = _Table(lemma_map)
        self._num_col = len(names)
        names.append("like_num")
        self._n_counts = len(names)
        self._shape_col = {flag: len(names) + i for i, flag in enumerate(SHAPE_FLAGS)}
        names.extend(f"shape={f}" for f in SHAPE_FLAGS)
        self.symbolic_names = names
        self.n_symbolic = len(names)
        self.n_dense = self.n_symbolic + (2 * TENSOR_WIDTH if use_tensor else 0)

        self._wh = {get_string_id(w) for w in LEXICON["wh"]}
        self._aux_start = {
            get_string_id(w)
            for w in ("do", "does", "did", "is", "are", "was", "were", "can", "could", "will",
                      "would", "should", "have", "has", "had", "shall", "may", "might")
        }
        self._cc_start = {get_string_id(w) for w in ("and", "but", "so", "or", "because")}
        self._qmark = get_string_id("?")
        self._excl = get_string_id("!")
        self._quotes = np.array(
            sorted(get_string_id(q) for q in ('"', "``", "''", "\u201c", "\u201d")),
            dtype=np.uint64,
        )
        self._root = get_string_id("ROOT")
        self._subj = {get_string_id("nsubj"), get_string_id("nsubjpass")}
        self._first_sg = {get_string_id(w) for w in ("i",)}
        self._first_pl = {get_string_id(w) for w in ("we",)}
        self._second = {get_string_id(w) for w in ("you",)}
        self._root_tag_flag = {
            get_string_id("VBD"): "root_vbd",
            get_string_id("VBZ"): "root_vbz_vbp",
            get_string_id("VBP"): "root_vbz_vbp",
            get_string_id("VB"): "root_vb",
            get_string_id("MD"): "root_md",
            get_string_id("VBN"): "root_vbn",
            get_string_id("VBG"): "root_vbg",
        }
        self._vb = get_string_id("VB")
        self._verb_pos = {POS_IDS["VERB"], POS_IDS["AUX"]}
        self._number_ents = {get_string_id(e) for e in
                             ("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE")}
        self._digits = {str(d) for d in range(10)}

    # -- per doc -------------------------------------------------------------------------
    def doc_arrays(self, doc):
        arr = doc.to_array(_ARRAY_ATTRS).astype(np.uint64, copy=False)
        n = len(arr)
        sym = np.stack([
            self._pos(arr[:, _C_POS]),
            self._tag(arr[:, _C_TAG]),
            self._dep(arr[:, _C_DEP]),
            # Entities are counted once per mention (at their B token), not per token.
            np.where(arr[:, _C_IOB] == 3, self._ent(arr[:, _C_ENT]), -1),
            self._lex(arr[:, _C_LOWER]),
            self._lemma(arr[:, _C_LEMMA]),
            np.where(arr[:, _C_NUM] == 1, self._num_col, -1),
        ], axis=1) if n else np.zeros((0, 7), dtype=np.int64)
        # n-gram keys: entity type for entity tokens, <NUM> for numbers, else the lemma.
        keys = arr[:, _C_LEMMA].copy()
        ent = arr[:, _C_ENT]
        keys = np.where(ent != _MISSING, ent, keys)
        keys = np.where(arr[:, _C_NUM] == 1, _NUM_KEY, keys)
        return arr, sym, keys

    # -- per span ------------------------------------------------------------------------
    def span_features(self, doc, arrays, start: int, end: int, text: str):
        """Return (dense vector, hashed feature indices) for tokens [start, end) of doc."""
        arr, sym, keys = arrays
        dense = np.zeros(self.n_dense, dtype=np.float32)
        n = end - start
        if n <= 0:
            return dense, np.zeros(0, dtype=np.int64)
        s = sym[start:end].ravel()
        s = s[s >= 0]
        counts = np.bincount(s, minlength=self._n_counts)[: self._n_counts]
        dense[: self._n_counts] = np.log1p(counts)

        a = arr[start:end]
        flags = self._shape_col
        content = a[a[:, _C_PUNCT] == 0]
        n_words = len(content)
        last = a[-1]
        if last[_C_LOWER] == self._qmark or (n > 1 and a[-2][_C_LOWER] == self._qmark):
            dense[flags["ends_question"]] = 1
        if last[_C_LOWER] == self._excl:
            dense[flags["ends_exclaim"]] = 1
        if n_words:
            first = int(content[0][_C_LOWER])
            if first in self._wh:
                dense[flags["starts_wh"]] = 1
            if first in self._aux_start:
                dense[flags["starts_aux"]] = 1
            if first in self._cc_start:
                dense[flags["starts_cc"]] = 1
        if self._digits.intersection(text):
            dense[flags["has_digit"]] = 1
        if np.isin(a[:, _C_LOWER], self._quotes).any():
            dense[flags["has_quote"]] = 1
        if n_words <= 5:
            dense[flags["len_le5"]] = 1
        elif n_words <= 10:
            dense[flags["len_6_10"]] = 1
        elif n_words <= 20:
            dense[flags["len_11_20"]] = 1
        elif n_words <= 40:
            dense[flags["len_21_40"]] = 1
        else:
            dense[flags["len_gt40"]] = 1
        if not np.isin(a[:, _C_POS], list(self._verb_pos)).any():
            dense[flags["no_verb"]] = 1
        roots = np.nonzero(a[:, _C_DEP] == self._root)[0]
        if len(roots):
            r = a[roots[0]]
            dense[flags[self._root_tag_flag.get(int(r[_C_TAG]), "root_other")]] = 1
            lemma_col = int(self._lemma(r[_C_LEMMA : _C_LEMMA + 1])[0])
            for cls, col in self._lemma_class_col.items():
                if lemma_col == col:
                    dense[flags[f"root_{cls}"]] = 1
            if int(r[_C_TAG]) == self._vb:
                dense[flags["imperative"]] = 1
        subj_lowers = {int(x) for x in a[np.isin(a[:, _C_DEP], list(self._subj)), _C_LOWER]}
        if subj_lowers & self._first_sg:
            dense[flags["subj_first_sg"]] = 1
        if subj_lowers & self._first_pl:
            dense[flags["subj_first_pl"]] = 1
        if subj_lowers & self._second:
            dense[flags["subj_second"]] = 1
        ents = a[a[:, _C_IOB] == 3, _C_ENT]
        if len(ents):
            dense[flags["has_entity"]] = 1
            if any(int(e) in self._number_ents for e in ents):
                dense[flags["has_number_entity"]] = 1
        if subj_lowers:
            dense[flags["imperative"]] = 0

        if self.use_tensor:
            t = doc.tensor
            if t is not None and len(t) >= end and t.shape[1] == TENSOR_WIDTH:
                seg = t[start:end]
                o = self.n_symbolic
                dense[o : o + TENSOR_WIDTH] = seg.mean(0)
                dense[o + TENSOR_WIDTH : o + 2 * TENSOR_WIDTH] = seg.max(0)

        k = keys[start:end]
        uni = k % np.uint64(self.n_hash)
        if len(k) > 1:
            bi = (k[:-1] * _BIGRAM_MULT ^ k[1:]) % np.uint64(self.n_hash)
            hashed = np.concatenate([uni, bi]).astype(np.int64)
        else:
            hashed = uni.astype(np.int64)
        return dense, np.unique(hashed)
