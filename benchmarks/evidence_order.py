"""Which evidence order puts the deciding sentence first: by the probability of the verdict's label
(aggregate.py until session 12) or by that probability x closeness to the claim (what decides a
conflict). Measured on the training-side tuning set of `factcheck calibrate` (never eval/), every
sentence scored, judged with the shipped rule: over the checks answered support or contradict rightly,
how often the first citation is one of the claim's own evidence texts; over all checks with evidence,
own-evidence recall among the first 5 cited.

Usage: python benchmarks/evidence_order.py [--checks FILE]
Reads benchmarks/tuning_errors.py's pickle; writes benchmarks/results/evidence_order.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_tuning_set

from factcheck.core.aggregate import aggregate, strength
from factcheck.evaluation.tuning import article_ids


def orders(rule):
    return {"probability": lambda e, side: rule.weight(e, side),
            "probability x closeness": lambda e, side: strength(e, side, rule)}  # aggregate's order


def main() -> None:
    claims, texts, checks, rule = shipped_rule_tuning_set(__doc__)
    article_id = article_ids(texts)
    out = {}
    for name, order in orders(rule).items():
        first = {"fever": [0, 0], "scifact": [0, 0]}
        recall = {"fever": [0, 0], "scifact": [0, 0]}
        for check in checks:
            if not check.with_evidence or check.gold == "neutral":
                continue
            own = {article_id[t] for t in claims[check.group].own_texts}
            verdict = aggregate(check.evidence, rule)
            side = verdict.verdict if verdict.verdict != "neutral" else check.gold
            other = "contradict" if side == "support" else "support"
            ordered = sorted(check.evidence, key=lambda e: (-order(e, side), -order(e, other)))
            if verdict.verdict == "neutral":
                ordered = verdict.evidence  # neutral: retrieval order, as served
            recall[check.source][0] += any(e.hit.article_id in own for e in ordered[:5])
            recall[check.source][1] += 1
            if verdict.verdict == check.gold:
                first[check.source][0] += ordered[0].hit.article_id in own
                first[check.source][1] += 1
        out[name] = {f"{source} first citation own": round(first[source][0] / first[source][1], 4)
                     for source in first}
        out[name] |= {f"{source} own recall@5": round(recall[source][0] / recall[source][1], 4) for source in recall}
        out[name]["all first citation own"] = round(sum(v[0] for v in first.values())
                                                    / sum(v[1] for v in first.values()), 4)
    print(json.dumps(out, indent=1))
    (ROOT / "benchmarks/results/evidence_order.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
