"""Would the decision rule change if the tuning set's neutral class came from general prose too? A
measurement made in session 14 for a later decision; in session 15 the part was adopted by construction
(`factcheck calibrate` builds it: evaluation/tuning.py GENERAL_SOURCES), and this benchmark still
compares the two-part set of the benchmarks' pickles with the three-part one.

`factcheck calibrate`'s tuning set takes its gold-neutral checks from SciFact alone (its claims
checked without their evidence; FEVER's were dropped as mislabelled, see tuning.py), so the rule's
thresholds are pulled by how the model treats related-but-silent *scientific* text. This adds the
held-out slice's MNLI-mismatched and XNLI-en pairs (never trained on; general prose, the closest text
in the pool to news) as a third part: every premise indexed beside the tuning texts, every hypothesis
checked with its premise there (gold = the pair's label: entailment support, contradiction
contradict, neutral neutral, so a neutral pair is related text that does not decide the claim). Then
the grid's best rule is chosen on the present set and on the set with the new part, in sample and
cross-validated, and each is scored per part.

Usage: python benchmarks/general_neutral.py --checks runs/tune/checks-all-v5.pkl
(the pickle of benchmarks/tuning_errors.py, scored by models/nli; the new part is scored here, ~5 min,
and pickled beside it as *-general.pkl). Writes benchmarks/results/general_neutral.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from relevance_gates import report
from tuning_errors import POOL, load_checks, pickled, shipped_pipeline, stderr

from factcheck.core.decision import DecisionRule
from factcheck.evaluation.tuning import calibration_checks, general_pairs, pool_claims, run_tuning_checks, scores


def general_checks(tuning_texts: list[str]) -> list:
    """The held-out general-prose pairs checked with their premise indexed beside the tuning texts."""
    pairs = general_pairs(POOL)
    texts = list(dict.fromkeys([p.premise for p in pairs] + tuning_texts))
    return run_tuning_checks(shipped_pipeline(), pool_claims(pairs, "general"), texts, progress=stderr,
                             without_evidence=())


def per_part(rule: DecisionRule, parts: dict[str, list]) -> dict:
    return {name: {k: scores(rule, checks)[k] for k in ("accuracy", "macro_f1")} for name, checks in parts.items()}


def three_parts(path: Path) -> dict[str, list]:
    """The pickle's checks that `factcheck calibrate` judges, by part, with the general-prose part
    (scored and pickled beside it as *-general.pkl on the first call)."""
    _, checks, texts = load_checks(path, None)
    present = calibration_checks(checks)
    general = pickled(path.with_name(path.stem + "-general.pkl"), lambda: general_checks(texts))
    offset = max(c.group for c in present) + 1  # folds go by claim: keep the new claims' groups apart
    return {"fever": [c for c in present if c.source == "fever"],
            "scifact": [c for c in present if c.source == "scifact"],
            "general": [replace(c, group=c.group + offset) for c in general]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=Path, required=True)
    args = parser.parse_args()
    parts = three_parts(args.checks)
    present, general = parts["fever"] + parts["scifact"], parts["general"]
    result = {"checks": {name: len(part) for name, part in parts.items()},
              "general gold": {g: sum(c.gold == g for c in general) for g in ("support", "contradict", "neutral")}}
    for name, judged in (("present tuning set", present), ("with general prose", present + general)):
        chosen = report(judged)
        rule = DecisionRule(**chosen["rule"])
        result[name] = {**chosen, "per part": per_part(rule, parts)}
        print(name, json.dumps(result[name]), flush=True)
    (ROOT / "benchmarks/results/general_neutral.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
