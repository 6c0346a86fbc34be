"""What the tuning set's FEVER wrong sides are: a seeded sample of the held-out FEVER claims (training
side, never eval/) that the shipped rule answers with the wrong side, each with the sentence cited
first (the one that decided) and whether it is the claim's own evidence. Judged by hand into
`benchmarks/results/wrong_sides_judged.json` (session 15): how many are the pool's label noise, and
how many are the model's, of which kind.

Usage: python benchmarks/wrong_sides.py --checks runs/tune/checks-all-v5.pkl [--sample 30]
(the pickle of benchmarks/tuning_errors.py, scored by models/nli). Prints the sample as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import error_bin, load_checks

from factcheck.core.aggregate import aggregate
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.evaluation.tuning import article_ids


def wrong_sides(path: Path, rule: DecisionRule) -> list[dict]:
    """Every held-out FEVER claim with its evidence that ``rule`` answers with the wrong side."""
    claims, checks, texts = load_checks(path, None)
    article_id = article_ids(texts)
    rows = []
    for check in checks:
        if check.source != "fever" or not check.with_evidence:
            continue
        own = {article_id[t] for t in claims[check.group].own_texts}
        if not error_bin(check, claims[check.group], own, rule).startswith("wrong"):
            continue
        verdict = aggregate(check.evidence, rule)
        first = verdict.evidence[0]
        rows.append({"claim": check.claim, "gold": check.gold, "verdict": verdict.verdict,
                     "conflict": verdict.conflict, "first_cited_is_own_evidence": first.hit.article_id in own,
                     "first_cited": first.hit.text, "probabilities": first.probabilities})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=30)
    args = parser.parse_args()
    rows = wrong_sides(args.checks, DecisionRule.load(ROOT / "models/nli" / RULE_FILE))
    print(f"{len(rows)} wrong sides; a sample of {min(args.sample, len(rows))}:", file=sys.stderr)
    for row in random.Random(5).sample(rows, min(args.sample, len(rows))):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
