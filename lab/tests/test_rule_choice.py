"""How the tuning set chooses the decision rule (factcheck-lab calibrate)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from factcheck.pipeline.aggregate import aggregate
from factcheck.pipeline.decision import DecisionRule
from factcheck.pipeline.verify import to_evidence
from factcheck.records import SentenceHit
from factcheck_lab.evaluation.tuning import RuleScorer, TuningCheck, choose_rule, cross_validated, macro_f1, scores


def _evidence(support: float, contradict: float, relevance: float = 0.9, rule: DecisionRule = DecisionRule()):
    hit = SentenceHit(1, "a1", "t", None, None, None, 0, 0, 4, "text", retrieval_score=0.1)
    return to_evidence(hit, np.array([support, 1 - support - contradict, contradict]), relevance, (), rule)


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


def test_the_vectorised_rule_scorer_gives_aggregates_verdicts():
    from factcheck_lab.evaluation.tuning import RuleScorer, candidate_rules

    rng = np.random.default_rng(5)
    checks = []
    for i in range(60):
        evidence = []
        for _ in range(rng.integers(0, 5)):
            p = rng.dirichlet([1, 1, 1])
            e = replace(
                _evidence(float(p[0]), float(p[2]), relevance=round(float(rng.uniform(0.2, 0.8)), 4)),
                overlap=round(float(rng.uniform(0, 1)), 4),
                mismatch=("number",) if rng.random() < 0.2 else (),
            )
            evidence.append(replace(e, probabilities=None) if rng.random() < 0.1 else e)
        checks.append(TuningCheck("t", i, "neutral", evidence))
    scorer = RuleScorer(checks)
    for rule in candidate_rules()[::97]:
        assert list(scorer.verdicts(rule)) == [aggregate(c.evidence, rule).verdict for c in checks]
