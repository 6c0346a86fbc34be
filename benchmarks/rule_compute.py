"""How much NLI work each decision rule causes, beside what it scores: the relevance gate decides which
retrieved sentences go on to the model, so a looser gate costs model calls. Measured on the three-part
training-side tuning set of `factcheck calibrate` (never eval/): for every rule of the grid, macro-F1
and the mean number of retrieved sentences per check that pass its gate (before the fast tier's
screen). Reports the shipped rule, session 14's rule, the best rule whose gate passes no more
sentences than session 14's, and (session 16) the choice of `factcheck calibrate` within its compute
budget (MAX_GATED_SENTENCES), with the cross-validated scores of the choice with and without the budget.

Usage: python benchmarks/rule_compute.py --checks runs/tune/checks-all-v5.pkl
(the pickle of benchmarks/tuning_errors.py and its *-general.pkl). Writes benchmarks/results/rule_compute.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from general_neutral import three_parts

from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.evaluation.tuning import (
    MAX_GATED_SENTENCES,
    RuleScorer,
    candidate_rules,
    choose_rule,
    cross_validated,
    macro_f1,
)

SESSION_14_RULE = DecisionRule(0.7, 0.7, 0.65, min_overlap=0.5, overlap_weight=0.3)


def row(scorer: RuleScorer, rule: DecisionRule) -> dict:
    return {"rule": rule.numbers(),
            "macro_f1": round(macro_f1(scorer.gold, scorer.verdicts(rule)), 4),
            "gated_sentences_per_check": round(scorer.gated_per_check(rule), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=Path, required=True)
    args = parser.parse_args()
    checks = [c for part in three_parts(args.checks).values() for c in part]
    scorer = RuleScorer(checks)
    rows = [row(scorer, rule) for rule in candidate_rules()]
    budget = row(scorer, SESSION_14_RULE)["gated_sentences_per_check"]
    within = [r for r in rows if r["gated_sentences_per_check"] <= budget]
    result = {"checks": len(checks),
              "shipped": row(scorer, DecisionRule.load(ROOT / "models/nli" / RULE_FILE)),
              "session 14's rule": row(scorer, SESSION_14_RULE),
              "best overall": max(rows, key=lambda r: r["macro_f1"]),
              "best within session 14's gated sentences": max(within, key=lambda r: r["macro_f1"]),
              "cross-validated": {"without a budget": cross_validated(checks),
                                  f"within {MAX_GATED_SENTENCES} gated sentences (factcheck calibrate)":
                                  cross_validated(checks, max_gated=MAX_GATED_SENTENCES)},
              f"best within {MAX_GATED_SENTENCES} gated sentences (factcheck calibrate)":
              row(scorer, choose_rule(checks, max_gated=MAX_GATED_SENTENCES))}
    print(json.dumps(result, indent=1))
    (ROOT / "benchmarks/results/rule_compute.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
