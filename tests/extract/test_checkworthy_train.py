"""Training protocol of the check-worthiness scorer, on small synthetic data.

Nothing here reads the evaluation data: the arrays are generated in the test.
"""

import numpy as np

from factcheck.extract.checkworthy.data import Sentence
from factcheck.extract.checkworthy.features import Featurizer
from training.checkworthy import train


def test_blocked_folds_hold_out_contiguous_id_ranges_whatever_the_file_order():
    ids = np.random.default_rng(0).permutation(np.arange(1000, 2000))
    folds = train.blocked_folds(ids, 5)
    assert sorted(np.bincount(folds).tolist()) == [200] * 5
    for k in range(5):
        held = np.sort(ids[folds == k])
        # One unbroken run of ids per fold: whole debates are held out, not a random sample.
        assert held[-1] - held[0] == len(held) - 1
    assert (np.diff([ids[folds == k].min() for k in range(5)]) > 0).all()


def test_sentence_order_uses_numeric_ids_or_falls_back_to_file_order():
    numeric = [Sentence("30", "a"), Sentence("4", "b")]
    assert train.sentence_order(numeric).tolist() == [30, 4]
    mixed = [Sentence("x1", "a"), Sentence("4", "b")]
    assert train.sentence_order(mixed).tolist() == [0, 1]


def test_fit_chooses_epochs_and_threshold_out_of_fold():
    rng = np.random.default_rng(1)
    n_hash = 64
    n_dense = Featurizer(n_hash, use_tensor=False).n_dense
    n = 600
    y = (rng.random(n) < 0.3).astype(np.float32)
    x = rng.normal(size=(n, n_dense)).astype(np.float32)
    x[:, :4] += 2.0 * y[:, None]  # a few informative columns
    hashed = [rng.integers(0, n_hash, 5) for _ in range(n)]
    cfg = train.TrainConfig(
        n_hash=n_hash,
        use_tensor=False,
        folds=3,
        members=[
            train.MemberConfig(hidden=0, use_hash=True, epochs=3, lr=1e-2),
            train.MemberConfig(hidden=8, use_hash=False, epochs=3, lr=1e-2),
        ],
    )
    model = train.fit(cfg, (x, hashed, y), np.arange(n), log=lambda _: None)
    assert 0.0 < model.threshold < 1.0
    assert model.config["out_of_fold"]["auc"] > 0.8
    assert len(model.config["out_of_fold"]["per_fold_best_threshold"]) == 3
    assert all(1 <= m["epochs_trained"] <= 3 for m in model.config["members"])
    p = model.predict(x, hashed)
    assert train.roc_auc(p, y) > 0.8
