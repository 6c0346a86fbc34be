"""How NLIModel.predict groups pairs into onnxruntime calls (token_batches) and what it returns."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.inference.runtime import ALONE, Lanes, token_batches


def test_batches_cover_every_row_once_sorted_by_length():
    lengths = [50, 7, 300, 12, 12, 90, 7]
    batches = token_batches(lengths, max_tokens=100, max_batch=32)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)


@pytest.mark.parametrize("max_tokens, max_batch", [(100, 32), (64, 2), (1024, 32), (None, 3)])
def test_no_batch_exceeds_the_token_budget_or_the_row_cap(max_tokens, max_batch):
    lengths = list(np.random.default_rng(5).integers(3, 260, size=200))
    for batch in token_batches(lengths, max_tokens, max_batch):
        assert len(batch) <= max_batch
        padded = len(batch) * max(lengths[i] for i in batch)
        if max_tokens is not None and len(batch) > 1:
            assert padded <= max_tokens


def test_a_row_longer_than_the_budget_runs_alone():
    batches = token_batches([10, 10, 500, 10], max_tokens=100, max_batch=32)
    assert [2] in batches
    assert [0, 1, 3] in batches


def test_without_a_budget_batches_are_the_row_cap():
    assert [len(b) for b in token_batches([5] * 70, None, 32)] == [32, 32, 6]


def test_predict_keeps_the_order_of_the_pairs(nli):
    """Pairs of very different lengths land in different batches; each row still answers its own pair."""
    long_premise = " ".join(["The committee met again on Tuesday to discuss the budget of the city."] * 12)
    pairs = [
        ("The cat sat on the mat.", "A cat is sitting on a mat."),
        (long_premise, "The committee met on Tuesday."),
        ("The cat sat on the mat.", "No animal is on the mat."),
        ("It rained all day in Paris.", "It was sunny all day in Paris."),
    ]
    together = nli.predict(pairs, max_tokens=64)
    assert together.shape == (4, 3)
    assert np.allclose(together.sum(axis=1), 1.0, atol=1e-5)
    labels = together.argmax(axis=1)  # columns: entailment, neutral, contradiction
    assert labels[0] == 0 and labels[1] == 0
    assert labels[2] == 2 and labels[3] == 2
    assert nli.predict([]).shape == (0, 3)


def test_calls_side_by_side_give_what_one_lane_gives(nli, embedder):
    """The check path runs each pair alone, two calls at a time (runtime.Lanes): every pair must get
    exactly the probabilities it gets when the calls run one after another."""
    pairs = [
        (f"The council met on day {i} and approved {i * 7} new homes.", f"The council approved {i * 7} homes.")
        for i in range(12)
    ]
    side_by_side = nli.predict(pairs, batch_size=ALONE)
    texts = [premise for premise, _ in pairs]
    vectors = embedder.encode(texts, batch_size=ALONE)
    lanes = nli.lanes, embedder.lanes
    nli.lanes, embedder.lanes = Lanes(1), Lanes(1)
    try:
        assert np.array_equal(side_by_side, nli.predict(pairs, batch_size=ALONE))
        assert np.array_equal(vectors, embedder.encode(texts, batch_size=ALONE))
    finally:
        nli.lanes, embedder.lanes = lanes
    assert lanes[0].count == 2


def test_a_lane_that_maps_again_runs_the_inner_items_itself():
    lanes = Lanes(2)
    assert lanes.map(lambda n: lanes.map(lambda m: n * m, range(3)), range(4)) == [
        [0, 0, 0],
        [0, 1, 2],
        [0, 2, 4],
        [0, 3, 6],
    ]
