"""The decision rule (when a sentence counts) and how the tuning set chooses it."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from factcheck.core.aggregate import aggregate
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.core.types import SentenceHit
from factcheck.core.verify import to_evidence
from factcheck.evaluation.tuning import RuleScorer, TuningCheck, choose_rule, cross_validated, macro_f1, scores


def _evidence(support: float, contradict: float, relevance: float = 0.9, rule: DecisionRule = DecisionRule()):
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, 4, "text", retrieval_score=0.1)
    return to_evidence(hit, np.array([support, 1 - support - contradict, contradict]), relevance, (), rule)


def test_missing_rule_file_gives_the_defaults_and_a_saved_rule_loads_back(tmp_path):
    assert DecisionRule.load(tmp_path / RULE_FILE) == DecisionRule()
    rule = DecisionRule(0.6, 0.9, 0.4, "test")
    rule.save(tmp_path / RULE_FILE)
    assert json.loads((tmp_path / RULE_FILE).read_text())["contradict"] == 0.9
    assert DecisionRule.load(tmp_path / RULE_FILE) == rule
    assert rule.numbers() == {"support": 0.6, "contradict": 0.9, "min_relevance": 0.4, "min_overlap": None,
                              "overlap_weight": 0.0}  # how reports show a rule: without chosen_on


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


def test_macro_f1():
    assert macro_f1(["support", "neutral"], ["support", "neutral"]) == 1.0
    assert macro_f1(["support", "support"], ["neutral", "neutral"]) == 0.0


def test_choose_rule_finds_the_contradiction_threshold_that_separates_the_tuning_set():
    # gold neutral claims come with a topical sentence the model calls a contradiction at 0.7;
    # real contradictions score 0.97: only a contradict threshold in (0.7, 0.97] answers all right.
    checks = []
    for i in range(20):
        checks.append(TuningCheck("t", i, "contradict", [_evidence(0.01, 0.97)]))
        checks.append(TuningCheck("t", i, "neutral", [_evidence(0.05, 0.7)]))
        checks.append(TuningCheck("t", i, "support", [_evidence(0.92, 0.02)]))
    rule = choose_rule(checks, "synthetic")
    assert 0.7 < rule.contradict <= 0.97 and rule.chosen_on == "synthetic"
    assert scores(rule, checks)["accuracy"] == 1.0
    assert scores(DecisionRule(), checks)["accuracy"] < 0.7
    assert cross_validated(checks)["accuracy"] == 1.0


def test_a_compute_budget_chooses_the_best_rule_whose_gate_passes_few_enough_sentences():
    # each check has one deciding sentence at relevance 0.9 and a loosely related one at 0.5 that the
    # model calls a contradiction; a gate of 0.5 or lower sends both to the model (2 per check).
    checks = []
    for i in range(10):
        deciding, loose = _evidence(0.95, 0.02, relevance=0.9), _evidence(0.05, 0.9, relevance=0.5)
        checks.append(TuningCheck("t", i, "support", [deciding, loose]))
    unbudgeted = choose_rule(checks)
    assert RuleScorer(checks).gated_per_check(unbudgeted) == 2.0  # ties go to the lower gate
    budgeted = choose_rule(checks, max_gated=1.0)
    assert 0.5 < budgeted.min_relevance <= 0.9 and RuleScorer(checks).gated_per_check(budgeted) == 1.0
    assert scores(budgeted, checks)["accuracy"] == 1.0
    assert cross_validated(checks, max_gated=1.0)["accuracy"] == 1.0
    with pytest.raises(ValueError, match="at most 0.5 sentences"):
        choose_rule(checks, max_gated=0.5)


def test_sentences_below_the_relevance_gate_are_not_sent_to_the_model(nli):
    from factcheck.core.verify import verify_many

    class Counting:
        """The shipped model, counting the pairs it is asked about."""

        def __init__(self, model):
            self.model, self.pairs = model, 0

        def predict(self, pairs, **options):
            self.pairs += len(pairs)
            return self.model.predict(pairs, **options)

    hits = [SentenceHit(i, "a1", "t", None, None, None, i, 0, 4, text) for i, text in
            enumerate(["Russian jets left Syria.", "The weather was mild.", "Jets departed from Syria."])]
    counting = Counting(nli)
    rule = DecisionRule(0.5, 0.5, 0.4)
    evidence = verify_many(counting, ["Russian jets left Syria."], [hits], relevance=[[0.9, 0.1, 0.7]], rule=rule)[0]
    assert counting.pairs == 2
    assert evidence[1].probabilities is None and evidence[1].label == "neutral"
    assert evidence[0].probabilities is not None and evidence[0].label == "support"
    assert aggregate(evidence, rule).verdict == "support"


def test_a_relevance_that_rounds_up_to_the_gate_is_scored_and_an_unscored_sentence_never_counts(nli):
    from factcheck.core.verify import verify_many

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
    from factcheck.core.verify import verify_many

    claim = "David Attenborough did not serve as controller of BBC Two."
    texts = ["He is also a former senior manager at the BBC, having served as controller of BBC Two.",
             "Attenborough is an English broadcaster and naturalist."]
    hits = [SentenceHit(i, "a1", "", None, None, None, i, 0, len(t), t) for i, t in enumerate(texts)]
    for rule, scored in ((DecisionRule(0.6, 0.7, 0.55), [False, False]),
                         (DecisionRule(0.6, 0.7, 0.55, min_overlap=0.6), [True, False])):
        evidence = verify_many(nli, [claim], [hits], relevance=[[0.47, 0.5]], rule=rule)[0]
        assert [e.overlap for e in evidence] == [0.6667, 0.1667]  # serve/served, controller, bbc, two of six
        assert [e.probabilities is not None for e in evidence] == scored
    assert evidence[0].label == "contradict"


def test_the_vectorised_rule_scorer_gives_aggregates_verdicts():
    from factcheck.evaluation.tuning import RuleScorer, candidate_rules

    rng = np.random.default_rng(5)
    checks = []
    for i in range(60):
        evidence = []
        for _ in range(rng.integers(0, 5)):
            p = rng.dirichlet([1, 1, 1])
            e = replace(_evidence(float(p[0]), float(p[2]), relevance=round(float(rng.uniform(0.2, 0.8)), 4)),
                        overlap=round(float(rng.uniform(0, 1)), 4), mismatch=("number",) if rng.random() < 0.2 else ())
            evidence.append(replace(e, probabilities=None) if rng.random() < 0.1 else e)
        checks.append(TuningCheck("t", i, "neutral", evidence))
    scorer = RuleScorer(checks)
    for rule in candidate_rules()[::97]:
        assert list(scorer.verdicts(rule)) == [aggregate(c.evidence, rule).verdict for c in checks]


def test_the_gate_can_weigh_word_overlap_into_relevance(tmp_path):
    rule = DecisionRule(0.6, 0.7, 0.65, "test", min_overlap=None, overlap_weight=0.3)
    low, lifted = _evidence(0.9, 0.05, relevance=0.5), replace(_evidence(0.9, 0.05, relevance=0.5), overlap=0.5)
    assert not rule.about(low.relevance, low.overlap) and rule.about(lifted.relevance, lifted.overlap)  # 0.5 + 0.15
    assert aggregate([low], rule).verdict == "neutral" and aggregate([lifted], rule).verdict == "support"
    rule.save(tmp_path / RULE_FILE)
    assert DecisionRule.load(tmp_path / RULE_FILE) == rule
