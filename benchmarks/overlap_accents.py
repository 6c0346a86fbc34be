"""Word overlap (relevance.overlap) with and without accents folded, on the training-side tuning set of
`factcheck calibrate` (never eval/), every sentence scored, judged with the shipped rule: the checks
whose verdict changes, fixed or broken, and macro-F1.

Usage: python benchmarks/overlap_accents.py [--checks FILE]
Reads benchmarks/tuning_errors.py's pickle; writes benchmarks/results/overlap_accents.json.
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
from factcheck.core.relevance import STEM, overlap
from factcheck.core.retrieve import STOPWORDS, words
from factcheck.evaluation.tuning import macro_f1


def exact_overlap(claim: str, sentence: str) -> float:
    """relevance.overlap as it was before accents were folded (letters compared exactly)."""
    def stems(text: str) -> set[str]:
        return {w[:STEM] for w in words(text) if w not in STOPWORDS and len(w) > 1}

    wanted = stems(claim)
    return round(len(wanted & stems(sentence)) / len(wanted), 4) if wanted else 0.0


def main() -> None:
    checks, rule = shipped_rule_checks(__doc__)
    gold = [c.gold for c in checks]
    verdicts = {}
    for name, measure in (("exact", exact_overlap), ("accents folded", overlap)):  # overlap: the shipped one
        verdicts[name] = [aggregate([replace(e, overlap=measure(c.claim, e.hit.text)) for e in c.evidence],
                                    rule).verdict for c in checks]
    changed = Counter()
    for g, old, new, check in zip(gold, verdicts["exact"], verdicts["accents folded"], checks):
        if old != new:
            changed[f"{check.source}: {'fixed' if new == g else 'broke' if old == g else 'still wrong'}"] += 1
    result = {"checks": len(checks), "changed": dict(changed),
              "macro_f1": {name: round(macro_f1(gold, v), 4) for name, v in verdicts.items()}}
    print(json.dumps(result, indent=1))
    (ROOT / "benchmarks/results/overlap_accents.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
