"""Why tuning-set claims get the wrong verdict: the training-side tuning set of `factcheck calibrate`
(held-out fever_paper_test claims and scifact_train claims, here each with and without its evidence;
never eval/) checked with every sentence scored, then judged with a decision rule. Each wrong check with
evidence is put in one bin: its own evidence not retrieved, under the relevance gate, stating a
quantity differently, under the thresholds, or the verdict took the wrong side.

Usage: python benchmarks/tuning_errors.py [--fever-limit 300] [--rule 0.7 0.7 0.5] [--checks FILE]
Without --rule the checks are judged with the shipped rule (models/nli/decision_rule.json).
Without --fever-limit it is the whole tuning set, as `factcheck calibrate` builds it. The checks (the
slow part: ~15 min on 2 cores) are pickled to --checks (default runs/tune/checks-<limit or all>.pkl)
and reused on the next run. A pickle belongs to the NLI model that scored it: after a model change,
make a new one (the shipped rule is read from models/nli). The pickle holds the FEVER and SciFact parts
only (`factcheck calibrate` has a general-prose part too since session 15; benchmarks/general_neutral.py
adds it). Writes benchmarks/results/tuning_errors.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.core.aggregate import aggregate
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.evaluation.tuning import (
    article_ids,
    calibration_checks,
    run_tuning_checks,
    tuning_claims,
    tuning_pipeline,
)

POOL = ROOT.parent / "shared/data/nli-train"
T = TypeVar("T")


def load_checks(path: Path, fever_limit: int | None) -> tuple[list, list, list[str]]:
    """Every claim checked with and without its evidence, both sources (``calibration_checks`` keeps
    what `factcheck calibrate` judges on): the first half of the list with, the second without."""
    claims, texts = tuning_claims(POOL, fever_limit, general=False)
    checks = pickled(path, lambda: run_tuning_checks(shipped_pipeline(), claims, texts, progress=stderr,
                                                     without_evidence=("fever", "scifact")))
    for check in checks[len(claims):]:
        check.with_evidence = False  # pickles made before the field existed
    return claims, checks, texts


def pickled(path: Path, compute: Callable[[], T]) -> T:
    """What ``path`` holds, or ``compute()``'s result pickled there first (the slow scoring runs once)."""
    if path.is_file():
        return pickle.loads(path.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    value = compute()
    path.write_bytes(pickle.dumps(value))
    return value


def shipped_pipeline():
    """A tuning pipeline (every sentence scored, raw confidences) with the shipped models."""
    return tuning_pipeline(str(ROOT / "models/nli"), str(ROOT / "models/embed"))


def stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def shipped_rule_tuning_set(description: str) -> tuple[list, list[str], list, DecisionRule]:
    """For the benchmarks that judge the shipped rule offline: parse ``--checks`` (the pickle, default
    runs/tune/checks-all.pkl); return the tuning claims, the indexed texts, the checks `factcheck
    calibrate` judges and the shipped rule."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--checks", type=Path, default=ROOT / "runs/tune/checks-all.pkl")
    claims, checks, texts = load_checks(parser.parse_args().checks, None)
    return claims, texts, calibration_checks(checks), DecisionRule.load(ROOT / "models/nli" / RULE_FILE)


def shipped_rule_checks(description: str) -> tuple[list, DecisionRule]:
    """``shipped_rule_tuning_set`` without the claims and texts: the checks and the shipped rule."""
    return shipped_rule_tuning_set(description)[2:]


def error_bin(check, claim, own_ids: set[str], rule: DecisionRule) -> str:
    verdict = aggregate(check.evidence, rule).verdict
    if verdict == check.gold:
        return "right"
    if check.gold == "neutral" or verdict != "neutral":
        return f"wrong: {verdict}"
    own = [e for e in check.evidence if e.hit.article_id in own_ids]
    if not own:
        return "neutral: own evidence not retrieved"
    best = max(own, key=lambda e: e.probabilities[check.gold])
    if not rule.about(best.relevance, best.overlap):
        return "neutral: own evidence under the relevance gate"
    if best.mismatch and check.gold == "support":
        return "neutral: own evidence states a quantity differently"
    return "neutral: own evidence under the thresholds"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fever-limit", type=int, default=None, help="first N held-out FEVER claims (quick set)")
    parser.add_argument("--rule", type=float, nargs=3, default=None, metavar=("SUPPORT", "CONTRADICT", "GATE"))
    parser.add_argument("--checks", type=Path, default=None)
    args = parser.parse_args()
    default = ROOT / f"runs/tune/checks-{args.fever_limit or 'all'}.pkl"
    claims, checks, texts = load_checks(args.checks or default, args.fever_limit)
    article_id = article_ids(texts)
    rule = DecisionRule(*args.rule) if args.rule else DecisionRule.load(ROOT / "models/nli" / RULE_FILE)
    table: dict[str, Counter] = {}
    for check in checks:
        claim = claims[check.group]
        if check.gold == "neutral" and claim.gold == "neutral":
            continue  # a pool claim without a decided label: no "with evidence" twin
        part = f"{check.source}, {'without' if check.gold == 'neutral' else 'with'} evidence"
        own = {article_id[t] for t in claim.own_texts}
        table.setdefault(part, Counter())[error_bin(check, claim, own, rule)] += 1
    for part, bins in table.items():
        print(f"{part}: {sum(bins.values())} checks; " + ", ".join(f"{k} {v}" for k, v in bins.most_common()))
    out = ROOT / "benchmarks/results/tuning_errors.json"
    out.write_text(json.dumps({"fever_limit": args.fever_limit, "rule": rule.numbers(),
                               "parts": {p: dict(b) for p, b in table.items()}}, indent=2) + "\n")


if __name__ == "__main__":
    main()
