"""Lexical search leaves out the commonest query terms (retrieve.rarest_terms)."""

from __future__ import annotations

from factcheck.pipeline.retrieve import KEEP_RAREST, rarest_terms


def test_terms_in_more_sentences_than_the_share_are_left_out_in_the_claims_order():
    shares = {"said": 0.3, "putin": 0.001, "year": 0.05, "hmeimim": 0.0001}
    assert rarest_terms(["putin", "said", "hmeimim", "year"], shares, 0.02) == ["putin", "hmeimim"]


def test_the_rarest_terms_are_kept_however_common():
    shares = {"said": 0.3, "people": 0.1, "year": 0.05}
    assert KEEP_RAREST == 2
    assert rarest_terms(["said", "people", "year"], shares, 0.02) == ["people", "year"]


def test_terms_without_a_count_count_as_rare():
    assert rarest_terms(["zyx", "said", "putin"], {"said": 0.5, "putin": 0.001}, 0.02) == ["zyx", "putin"]


def test_a_sentence_found_by_its_rare_words_is_still_found_when_common_words_are_left_out(sample_client):
    body = sample_client.post("/v1/checks", json={"claim": "Officials said Hmeymim air base aircraft left."}).get_json()
    assert any("Hmeymim" in e["text"] for e in body["evidence"])
