"""FactChecker internals that the API tests cannot pin down: the batch's concurrent retrieval."""

from __future__ import annotations

from factcheck.core.types import Filters

CLAIMS = ["Russia will keep its naval facility at Tartus.", "The weather in Paris was sunny.",
          "Putin announced a withdrawal from Syria.", "The first planes left Hmeimim on Tuesday.",
          "US estimates put Russian troops in Syria at 3,000 to 6,000.", "Talks in Geneva resumed."]


def test_a_batch_retrieves_each_claim_as_a_single_check_would(sample_app):
    checker = sample_app.extensions["factcheck"].checker
    vectors = checker.embedder.encode(CLAIMS)
    together = checker._retrieve(CLAIMS, vectors, Filters(), 5)  # concurrent, in the claims' order
    alone = [checker._retrieve([c], vectors[i:i + 1], Filters(), 5)[0] for i, c in enumerate(CLAIMS)]
    assert [[h.sentence_id for h in hits] for hits in together] == [[h.sentence_id for h in hits] for hits in alone]
    assert len({tuple(h.sentence_id for h in hits) for hits in together}) == len(CLAIMS)  # different claims, different hits
