"""Features of an already-parsed span, computed from arrays spaCy has already filled.

Everything here reads `doc.to_array(...)` once per Doc and `doc.tensor`, then slices with
numpy: a per-token Python loop would cost a noticeable share of the parse itself, and the
claim scorer has to stay inside the extraction budget (<= 1.20x a bare `nlp.pipe`).

Four blocks per span:
- symbolic counts: coarse and fine POS, dependency labels, entity types, a small lexicon
  of function words that mark questions, opinions, promises, attribution and quantities,
  and a few sentence-shape flags. These carry what generalises across debates and news.
- pooled tok2vec context vectors (mean and max of `doc.tensor` over the span).
- the mean static word vector of the span (`vectors.py`: MiniLM-derived, looked up by
  spaCy's hash of the lower-cased word), which carries word meaning the 96-wide tagger
  context lacks.
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
(_F_PUNCT, _F_QUOTE, _F_VERB, _F_ROOT, _F_SUBJ, _F_SUBJ_I, _F_SUBJ_WE, _F_SUBJ_YOU, _F_ENT,
 _F_NUM_ENT, _F_NUM, _F_QMARK, _F_EXCL, _F_WH, _F_AUX_WORD, _F_CC_WORD) = range(16)
_N_FLAGS = 16
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


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """np.isin for a small sorted key set, without isin's per-call sorting overhead."""
    pos = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[pos] == values


def _length_bucket(n_words: int) -> str:
    if n_words <= 5:
        return "len_le5"
    if n_words <= 10:
        return "len_6_10"
    if n_words <= 20:
        return "len_11_20"
    if n_words <= 40:
        return "len_21_40"
    return "len_gt40"


class WordVectors:
    """Static word vectors keyed by spaCy's hash of the lower-cased form."""

    def __init__(self, keys: np.ndarray, table: np.ndarray):
        order = np.argsort(keys)
        self.keys = np.asarray(keys, dtype=np.uint64)[order]
        self.table = np.asarray(table, dtype=np.float32)[order]
        self.width = self.table.shape[1]

    def rows(self, lowers: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.full(len(lowers), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, lowers), len(self.keys) - 1)
        return np.where(self.keys[pos] == lowers, pos, -1)


class Featurizer:
    def __init__(self, n_hash: int = 2**14, use_tensor: bool = True, vectors=None):
        self.n_hash = n_hash
        self.use_tensor = use_tensor
        self.vectors = vectors
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
        self.n_dense = (self.n_symbolic + (2 * TENSOR_WIDTH if use_tensor else 0)
                        + (vectors.width if vectors is not None else 0))

        def ids(words) -> np.ndarray:
            return np.array(sorted({get_string_id(w) for w in words}), dtype=np.uint64)

        self._wh = ids(LEXICON["wh"])
        self._aux_start = ids(("do", "does", "did", "is", "are", "was", "were", "can", "could",
                               "will", "would", "should", "have", "has", "had", "shall", "may",
                               "might"))
        self._cc_start = ids(("and", "but", "so", "or", "because"))
        self._quotes = ids(('"', "``", "''", "\u201c", "\u201d"))
        self._subj = ids(("nsubj", "nsubjpass"))
        self._number_ents = ids(("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE"))
        self._verb_pos = np.array(sorted([POS_IDS["VERB"], POS_IDS["AUX"]]), dtype=np.uint64)
        self._qmark = np.uint64(get_string_id("?"))
        self._excl = np.uint64(get_string_id("!"))
        self._root = np.uint64(get_string_id("ROOT"))
        self._i = np.uint64(get_string_id("i"))
        self._we = np.uint64(get_string_id("we"))
        self._you = np.uint64(get_string_id("you"))
        self._vb = get_string_id("VB")
        self._root_tag_flag = {
            get_string_id("VBD"): "root_vbd",
            get_string_id("VBZ"): "root_vbz_vbp",
            get_string_id("VBP"): "root_vbz_vbp",
            get_string_id("VB"): "root_vb",
            get_string_id("MD"): "root_md",
            get_string_id("VBN"): "root_vbn",
            get_string_id("VBG"): "root_vbg",
        }
        self._lemma_class_flag = {c: f"root_{cls}" for cls, c in self._lemma_class_col.items()}

    # -- per doc -------------------------------------------------------------------------
    def doc_arrays(self, doc):
        """Per-token lookups for the whole Doc, computed once however many spans are scored."""
        arr = doc.to_array(_ARRAY_ATTRS).astype(np.uint64, copy=False)
        n = len(arr)
        if not n:
            return (arr, np.zeros((0, 7), np.int64), np.zeros(0, np.uint64),
                    np.zeros((0, _N_FLAGS), bool), np.zeros(0, np.int64))
        lemma_cols = self._lemma(arr[:, _C_LEMMA])
        sym = np.stack([
            self._pos(arr[:, _C_POS]),
            self._tag(arr[:, _C_TAG]),
            self._dep(arr[:, _C_DEP]),
            # Entities are counted once per mention (at their B token), not per token.
            np.where(arr[:, _C_IOB] == 3, self._ent(arr[:, _C_ENT]), -1),
            self._lex(arr[:, _C_LOWER]),
            lemma_cols,
            np.where(arr[:, _C_NUM] == 1, self._num_col, -1),
        ], axis=1)
        lower, dep = arr[:, _C_LOWER], arr[:, _C_DEP]
        subj = _member(dep, self._subj)
        ent_b = arr[:, _C_IOB] == 3
        flags = np.zeros((n, _N_FLAGS), dtype=bool)
        flags[:, _F_PUNCT] = arr[:, _C_PUNCT] == 1
        flags[:, _F_QUOTE] = _member(lower, self._quotes)
        flags[:, _F_VERB] = _member(arr[:, _C_POS], self._verb_pos)
        flags[:, _F_ROOT] = dep == self._root
        flags[:, _F_SUBJ] = subj
        flags[:, _F_SUBJ_I] = subj & (lower == self._i)
        flags[:, _F_SUBJ_WE] = subj & (lower == self._we)
        flags[:, _F_SUBJ_YOU] = subj & (lower == self._you)
        flags[:, _F_ENT] = ent_b
        flags[:, _F_NUM_ENT] = ent_b & _member(arr[:, _C_ENT], self._number_ents)
        flags[:, _F_NUM] = arr[:, _C_NUM] == 1
        flags[:, _F_QMARK] = lower == self._qmark
        flags[:, _F_EXCL] = lower == self._excl
        flags[:, _F_WH] = _member(lower, self._wh)
        flags[:, _F_AUX_WORD] = _member(lower, self._aux_start)
        flags[:, _F_CC_WORD] = _member(lower, self._cc_start)
        # n-gram keys: entity type for entity tokens, <NUM> for numbers, else the lemma.
        keys = np.where(arr[:, _C_ENT] != _MISSING, arr[:, _C_ENT], arr[:, _C_LEMMA])
        keys = np.where(flags[:, _F_NUM], _NUM_KEY, keys)
        vec_rows = self.vectors.rows(lower) if self.vectors is not None else None
        return arr, sym, keys, flags, vec_rows

    # -- per span ------------------------------------------------------------------------
    def span_features(self, doc, arrays, start: int, end: int):
        """Return (dense vector, hashed feature indices) for tokens [start, end) of doc."""
        arr, sym, keys, flags, vec_rows = arrays
        dense = np.zeros(self.n_dense, dtype=np.float32)
        if end <= start:
            return dense, np.zeros(0, dtype=np.int64)
        s = sym[start:end].ravel()
        counts = np.bincount(s[s >= 0], minlength=self._n_counts)
        dense[: self._n_counts] = np.log1p(counts[: self._n_counts])

        fl = flags[start:end]
        anyf = fl.any(0)
        col = self._shape_col
        words = np.flatnonzero(~fl[:, _F_PUNCT])
        n_words = len(words)
        # "...?" and '?"' both end a question.
        tail = fl[-2:]
        if tail[:, _F_QMARK].any():
            dense[col["ends_question"]] = 1
        if tail[:, _F_EXCL].any():
            dense[col["ends_exclaim"]] = 1
        if n_words:
            first = fl[words[0]]
            dense[col["starts_wh"]] = first[_F_WH]
            dense[col["starts_aux"]] = first[_F_AUX_WORD]
            dense[col["starts_cc"]] = first[_F_CC_WORD]
        dense[col["has_digit"]] = anyf[_F_NUM]
        dense[col["has_quote"]] = anyf[_F_QUOTE]
        dense[col[_length_bucket(n_words)]] = 1
        dense[col["no_verb"]] = not anyf[_F_VERB]
        dense[col["subj_first_sg"]] = anyf[_F_SUBJ_I]
        dense[col["subj_first_pl"]] = anyf[_F_SUBJ_WE]
        dense[col["subj_second"]] = anyf[_F_SUBJ_YOU]
        dense[col["has_entity"]] = anyf[_F_ENT]
        dense[col["has_number_entity"]] = anyf[_F_NUM_ENT]
        roots = np.flatnonzero(fl[:, _F_ROOT])
        if len(roots):
            r = start + int(roots[0])
            tag = int(arr[r, _C_TAG])
            dense[col[self._root_tag_flag.get(tag, "root_other")]] = 1
            root_class = self._lemma_class_flag.get(int(sym[r, 5]))
            if root_class:
                dense[col[root_class]] = 1
            # A bare verb at the root with no subject anywhere is an order or an appeal.
            dense[col["imperative"]] = tag == self._vb and not anyf[_F_SUBJ]

        o = self.n_symbolic
        if self.use_tensor:
            t = doc.tensor
            if t is not None and len(t) >= end and t.ndim == 2 and t.shape[1] == TENSOR_WIDTH:
                seg = t[start:end]
                dense[o : o + TENSOR_WIDTH] = seg.mean(0)
                dense[o + TENSOR_WIDTH : o + 2 * TENSOR_WIDTH] = seg.max(0)
            o += 2 * TENSOR_WIDTH
        if vec_rows is not None:
            rows = vec_rows[start:end]
            rows = rows[rows >= 0]
            if len(rows):
                dense[o : o + self.vectors.width] = self.vectors.table[rows].mean(0)

        k = keys[start:end]
        uni = k % np.uint64(self.n_hash)
        if len(k) > 1:
            bi = (k[:-1] * _BIGRAM_MULT ^ k[1:]) % np.uint64(self.n_hash)
            hashed = np.concatenate([uni, bi]).astype(np.int64)
        else:
            hashed = uni.astype(np.int64)
        return dense, np.unique(hashed)
