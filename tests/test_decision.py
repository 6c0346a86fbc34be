"""The decision rule (when a sentence counts) and how the tuning set chooses it."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.decision import RULE_FILE, DecisionRule
from factcheck.pipeline.verify import to_evidence
from factcheck.records import SentenceHit


def _evidence(support: float, contradict: float, relevance: float = 0.9, rule: DecisionRule = DecisionRule()):
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, 4, "text", retrieval_score=0.1)
    return to_evidence(hit, np.array([support, 1 - support - contradict, contradict]), relevance, (), rule)


def test_missing_rule_file_gives_the_defaults_and_a_saved_rule_loads_back(tmp_path):
    assert DecisionRule.load(tmp_path / RULE_FILE) == DecisionRule()
    rule = DecisionRule(0.6, 0.9, 0.4, "test")
    rule.save(tmp_path / RULE_FILE)
    assert json.loads((tmp_path / RULE_FILE).read_text())["contradict"] == 0.9
    assert DecisionRule.load(tmp_path / RULE_FILE) == rule
    assert rule.numbers() == {
        "support": 0.6,
        "contradict": 0.9,
        "min_relevance": 0.4,
        "min_overlap": None,
        "overlap_weight": 0.0,
    }  # how reports show a rule: without chosen_on


def test_a_contradiction_below_the_rules_threshold_is_neutral():
    strict = DecisionRule(0.5, 0.9, 0.25)
    evidence = _evidence(0.05, 0.8, rule=strict)
    assert evidence.label == "neutral"
    verdict = aggregate([evidence], strict)
    assert verdict.verdict == "neutral" and verdict.confidence == 0.2
    assert aggregate([_evidence(0.05, 0.8)]).verdict == "contradict"  # the default rule counts it


def test_a_sentence_not_about_the_claim_does_not_count():
    rule = DecisionRule(0.5, 0.5, 0.5)
    assert aggregate([_evidence(0.9, 0.05, relevance=0.45, rule=rule)], rule).verdict == "neutral"
    assert aggregate([_evidence(0.9, 0.05, relevance=0.55, rule=rule)], rule).verdict == "support"


def test_both_sides_reaching_their_thresholds_is_a_conflict_won_by_the_stronger():
    rule = DecisionRule(0.6, 0.7, 0.25)
    verdict = aggregate([_evidence(0.65, 0.1, rule=rule), _evidence(0.05, 0.9, rule=rule)], rule)
    assert verdict.verdict == "contradict" and verdict.conflict and verdict.confidence == 0.9
    assert [e.label for e in verdict.evidence] == ["contradict", "support"]


def test_a_conflict_is_won_by_probability_times_closeness_not_probability_alone():
    rule = DecisionRule(0.6, 0.5, 0.25)
    loosely_about = _evidence(0.02, 0.95, relevance=0.4, rule=rule)  # 0.95 x 0.4 = 0.38
    stating_it = _evidence(0.9, 0.02, relevance=0.8, rule=rule)  # 0.9 x 0.8 = 0.72
    verdict = aggregate([loosely_about, stating_it], rule)
    assert verdict.verdict == "support" and verdict.conflict and verdict.confidence == 0.9
    assert [e.label for e in verdict.evidence] == ["support", "contradict"]
    as_close = replace(stating_it, relevance=0.4)  # equally about the claim: the larger probability wins
    assert aggregate([loosely_about, as_close], rule).verdict == "contradict"


def test_sentences_below_the_relevance_gate_are_not_sent_to_the_model(nli):
    from factcheck.pipeline.verify import verify_many

    class Counting:
        """The shipped model, counting the pairs it is asked about."""

        def __init__(self, model):
            self.model, self.pairs = model, 0

        def predict(self, pairs, **options):
            self.pairs += len(pairs)
            return self.model.predict(pairs, **options)

    hits = [
        SentenceHit(i, "a1", "t", None, None, None, i, 0, 4, text)
        for i, text in enumerate(["Russian jets left Syria.", "The weather was mild.", "Jets departed from Syria."])
    ]
    counting = Counting(nli)
    rule = DecisionRule(0.5, 0.5, 0.4)
    evidence = verify_many(counting, ["Russian jets left Syria."], [hits], relevance=[[0.9, 0.1, 0.7]], rule=rule)[0]
    assert counting.pairs == 2
    assert evidence[1].probabilities is None and evidence[1].label == "neutral"
    assert evidence[0].probabilities is not None and evidence[0].label == "support"
    assert aggregate(evidence, rule).verdict == "support"


def test_a_relevance_that_rounds_up_to_the_gate_is_scored_and_an_unscored_sentence_never_counts(nli):
    from factcheck.pipeline.verify import verify_many

    rule = DecisionRule(0.5, 0.5, 0.5)
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, 4, "Russian jets left Syria.")
    evidence = verify_many(nli, ["Russian jets left Syria."], [[hit]], relevance=[[0.49996]], rule=rule)[0][0]
    assert evidence.relevance == 0.5 and evidence.probabilities is not None and evidence.label == "support"
    unscored = replace(evidence, probabilities=None)
    assert rule.weight(unscored, "support") == 0.0 and rule.label(unscored) == "neutral"


def test_a_rule_file_without_min_overlap_has_no_word_overlap_gate_and_one_with_it_loads_back(tmp_path):
    (tmp_path / RULE_FILE).write_text(json.dumps({"support": 0.6, "contradict": 0.7, "min_relevance": 0.55}))
    assert DecisionRule.load(tmp_path / RULE_FILE).min_overlap is None
    rule = DecisionRule(0.6, 0.7, 0.55, "test", min_overlap=0.7)
    rule.save(tmp_path / RULE_FILE)
    assert DecisionRule.load(tmp_path / RULE_FILE) == rule


def test_a_sentence_under_the_relevance_gate_counts_when_it_holds_enough_of_the_claims_words(nli):
    from factcheck.pipeline.verify import verify_many

    claim = "David Attenborough did not serve as controller of BBC Two."
    texts = [
        "He is also a former senior manager at the BBC, having served as controller of BBC Two.",
        "Attenborough is an English broadcaster and naturalist.",
    ]
    hits = [SentenceHit(i, "a1", "", None, None, None, i, 0, len(t), t) for i, t in enumerate(texts)]
    for rule, scored in (
        (DecisionRule(0.6, 0.7, 0.55), [False, False]),
        (DecisionRule(0.6, 0.7, 0.55, min_overlap=0.6), [True, False]),
    ):
        evidence = verify_many(nli, [claim], [hits], relevance=[[0.47, 0.5]], rule=rule)[0]
        assert [e.overlap for e in evidence] == [0.6667, 0.1667]  # serve/served, controller, bbc, two of six
        assert [e.probabilities is not None for e in evidence] == scored
    assert evidence[0].label == "contradict"


def test_the_gate_can_weigh_word_overlap_into_relevance(tmp_path):
    rule = DecisionRule(0.6, 0.7, 0.65, "test", min_overlap=None, overlap_weight=0.3)
    low, lifted = _evidence(0.9, 0.05, relevance=0.5), replace(_evidence(0.9, 0.05, relevance=0.5), overlap=0.5)
    assert not rule.about(low.relevance, low.overlap) and rule.about(lifted.relevance, lifted.overlap)  # 0.5 + 0.15
    assert aggregate([low], rule).verdict == "neutral" and aggregate([lifted], rule).verdict == "support"
    rule.save(tmp_path / RULE_FILE)
    assert DecisionRule.load(tmp_path / RULE_FILE) == rule
