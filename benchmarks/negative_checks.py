"""Are the tuning set's without-evidence checks really neutral? A sample of those the shipped rule
answers support or contradict, to judge by hand: claim, the sentence that decided it, the verdict.

Each claim of the tuning set is also checked with its own evidence texts excluded, with gold
"neutral". That gold is only right when nothing left in the index decides the claim. FEVER's texts
are evidence sets from a few Wikipedia pages each, so another claim's evidence on the same page can
decide a claim; the sample shows how often.

Then the rule is chosen twice on the same checks: with every without-evidence check (session 8's
tuning set) and with the SciFact ones only (`tuning.calibration_checks`, what `factcheck calibrate`
now judges on); each choice is cross-validated on its own set.

Usage: python benchmarks/negative_checks.py [--per-source 40] [--seed 1]
Reads benchmarks/tuning_errors.py's pickle (whole tuning set, every sentence scored, made with the
shipped model); the sample is drawn under the thresholds of the rule in models/nli with its cosine gate alone
(session 9 drew it under session 8's rule: support 0.7, contradict 0.6, cosine 0.65). Writes benchmarks/results/negative_checks.json (the judgments, a `right` field per
row, were added by hand into benchmarks/results/negative_checks_judged.json).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from relevance_gates import with_overlap
from tuning_errors import load_checks

from factcheck.core.aggregate import aggregate
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.evaluation.tuning import calibration_checks, choose_rule, cross_validated, scores


def answered(checks, rule: DecisionRule, source: str) -> list[dict]:
    """The without-evidence checks of ``source`` that ``rule`` does not answer neutral."""
    rows = []
    for check in checks:
        if check.source != source or check.with_evidence:
            continue
        verdict = aggregate(check.evidence, rule)
        if verdict.verdict != "neutral":
            top = verdict.evidence[0]
            rows.append({"verdict": verdict.verdict, "probability": top.probabilities[verdict.verdict],
                         "claim": check.claim, "sentence": top.hit.text})
    return rows


def pairs_per_check(rule: DecisionRule, checks) -> float:
    """Sentences per check the rule finds about the claim: the pairs the service would send."""
    return round(sum(sum(rule.about(e.relevance, e.overlap) for e in c.evidence) for c in checks) / len(checks), 3)


def choice(checks, every) -> dict:
    """The rule chosen on ``checks``; scored on the with-evidence checks of each source and on
    SciFact's without-evidence ones, which both sets share, and cross-validated on its own set."""
    rule = choose_rule(checks)
    parts = {"fever with evidence": [c for c in every if c.source == "fever" and c.with_evidence],
             "scifact with evidence": [c for c in every if c.source == "scifact" and c.with_evidence],
             "scifact without evidence": [c for c in every if c.source == "scifact" and not c.with_evidence]}
    return {"rule": rule.numbers(), "checks": len(checks),
            "accuracy": {name: scores(rule, part)["accuracy"] for name, part in parts.items()},
            "pairs_per_check": pairs_per_check(rule, every), "cross_validated": cross_validated(checks)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-source", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    _, checks, _ = load_checks(ROOT / "runs/tune/checks-all.pkl", None)
    checks = with_overlap(checks)
    # the sample judged in session 9: session 8's thresholds with its cosine gate alone (0.65)
    rule = replace(DecisionRule.load(ROOT / "models/nli" / RULE_FILE), min_overlap=None, overlap_weight=0.0)
    out = {"rule": {"support": rule.support, "contradict": rule.contradict, "min_relevance": rule.min_relevance,
                    "min_overlap": rule.min_overlap, "overlap_weight": rule.overlap_weight}}
    for source in ("fever", "scifact"):
        rows = answered(checks, rule, source)
        sample = random.Random(args.seed).sample(rows, min(args.per_source, len(rows)))
        out[source] = {"answered": len(rows), "sample": sample}
        print(f"{source}: {len(rows)} without-evidence checks answered support or contradict; sample {len(sample)}")
        for i, row in enumerate(sample):
            print(f"  {i:2d} {row['verdict']:10s} {row['probability']:.3f} | {row['claim']} | {row['sentence'][:200]}")
    out["choices"] = {"every without-evidence check": choice(checks, checks),
                      "scifact's only (calibrate)": choice(calibration_checks(checks), checks)}
    for name, row in out["choices"].items():
        print(f"{name}: {row['checks']} checks, rule {row['rule']}\n  accuracy {row['accuracy']}, "
              f"pairs/check {row['pairs_per_check']}, CV {row['cross_validated']}")
    path = ROOT / "benchmarks/results/negative_checks.json"
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
