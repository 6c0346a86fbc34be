"""What the nationality kind of the mismatch check (factcheck/core/nationalities.py) does to verdicts, on the
training-side tuning set of `factcheck calibrate` (never eval/), with every sentence scored.

Each check's evidence is judged twice with the shipped decision rule (models/nli/decision_rule.json):
with the mismatches of numbers, years, weekdays and months only, and with nationalities too. Prints
and writes how many sentences it flags, the checks whose verdict changes (how many became right, how
many wrong, per source) and the sentences it stopped from supporting.

Usage: python benchmarks/nationality_mismatch.py [--checks FILE]
The checks come from benchmarks/tuning_errors.py's pickle (made on first use, ~15 min).
Writes benchmarks/results/nationality_mismatch.json.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tuning_errors import shipped_rule_checks

from factcheck.core.aggregate import aggregate
from factcheck.core.mismatch import mismatches, quantity_mismatches
from factcheck.evaluation.tuning import macro_f1


def judged(checks, mismatch) -> list:
    return [[replace(e, mismatch=tuple(mismatch(c.claim, e.hit.text))) for e in c.evidence] for c in checks]


def main() -> None:
    checks, rule = shipped_rule_checks(__doc__)
    before = [aggregate(e, rule) for e in judged(checks, quantity_mismatches)]
    after_evidence = judged(checks, mismatches)
    after = [aggregate(e, rule) for e in after_evidence]
    changes, examples = Counter(), []
    for check, old, new, evidence in zip(checks, before, after, after_evidence):
        if old.verdict == new.verdict:
            continue
        effect = "fixed" if new.verdict == check.gold else "broke" if old.verdict == check.gold else "still wrong"
        changes[f"{check.source}: {effect}"] += 1
        blocked = [e for e in evidence if any(m.startswith("nationality") for m in e.mismatch)
                   and e.probabilities and e.probabilities["support"] >= rule.support]
        examples.append({"source": check.source, "gold": check.gold, "before": old.verdict, "after": new.verdict,
                         "claim": check.claim, "blocked": [(e.hit.text, list(e.mismatch)) for e in blocked[:2]]})
    flagged = sum(any(m.startswith("nationality") for m in e.mismatch) for evidence in after_evidence for e in evidence)
    gold = [c.gold for c in checks]
    result = {"checks": len(checks), "sentences_flagged": flagged, "rule": rule.numbers(),
              "macro_f1_before": round(macro_f1(gold, [v.verdict for v in before]), 4),
              "macro_f1_after": round(macro_f1(gold, [v.verdict for v in after]), 4),
              "accuracy_before": round(sum(g == v.verdict for g, v in zip(gold, before)) / len(gold), 4),
              "accuracy_after": round(sum(g == v.verdict for g, v in zip(gold, after)) / len(gold), 4),
              "changed": dict(changes), "examples": examples}
    print(json.dumps({k: v for k, v in result.items() if k != "examples"}, indent=1))
    for example in examples:
        print(f"- [{example['source']}, gold {example['gold']}] {example['before']} -> {example['after']}: "
              f"{example['claim']}\n    {example['blocked']}")
    (ROOT / "benchmarks/results/nationality_mismatch.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
