"""The retrieved sentences of one article together as a premise: would verdicts that need two sentences
of a page ("The United Nations (UN) is ... . The Ukrainian SSR was a founding member of the United
Nations") be judged better? Measured on the training-side tuning set of `factcheck calibrate` (never
eval/), offline: for every check, each article with two or more sentences among the retrieved ones gets
one more candidate, its passage (up to PASSAGE_SENTENCES of those sentences, the best by retrieval
score, joined in their order in the article), scored by the NLI model with the claim. The passage is
about the claim when one of its sentences is (relevance and word overlap: the best of its sentences')
and states a quantity differently when its joined text does. Then the grid's best rule is chosen
again, in sample and cross-validated over two halves of the claims.

Usage: python benchmarks/passage_premise.py --checks runs/tune/checks-all-v5.pkl
The passages are scored by models/nli, so the pickle must have been scored by the same model.
Writes benchmarks/results/passage_premise.json.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pronoun_context import printed_report
from tuning_errors import shipped_rule_tuning_set

from factcheck.core.mismatch import mismatches
from factcheck.core.types import Evidence
from factcheck.core.verify import LABEL_NAMES
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE

PASSAGE_SENTENCES = 3


def passages(evidence: list[Evidence]) -> list[list[Evidence]]:
    """The retrieved sentences of each article that has two or more of them: the best
    PASSAGE_SENTENCES by retrieval score, in their order in the article."""
    by_article: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_article.setdefault(e.hit.article_id, []).append(e)
    out = []
    for members in by_article.values():
        if len(members) >= 2:
            best = sorted(members, key=lambda e: -e.hit.retrieval_score)[:PASSAGE_SENTENCES]
            out.append(sorted(best, key=lambda e: e.hit.index))
    return out


def passage_text(members: list[Evidence]) -> str:
    return " ".join(e.hit.text for e in members)


def with_passages(checks, nli: NLIModel) -> tuple[list, int]:
    """The checks with one more evidence row per passage; also how many distinct pairs were scored."""
    found = [(k, members) for k, check in enumerate(checks) for members in passages(check.evidence)]
    pairs = sorted({(passage_text(members), checks[k].claim) for k, members in found})
    probs = dict(zip(pairs, nli.predict(pairs, batch_size=ALONE))) if pairs else {}
    out = [replace(c, evidence=list(c.evidence)) for c in checks]
    for k, members in found:
        text, claim = passage_text(members), checks[k].claim
        best = max(members, key=lambda e: e.relevance)
        p = {name: round(float(v), 4) for name, v in zip(LABEL_NAMES, probs[(text, claim)])}
        out[k].evidence.append(Evidence(replace(best.hit, text=text), "neutral", p, best.relevance,
                                        tuple(mismatches(claim, text)), max(e.overlap for e in members)))
    return out, len(pairs)


def main() -> None:
    _, _, checks, _ = shipped_rule_tuning_set(__doc__)
    lifted, n = with_passages(checks, NLIModel(ROOT / "models/nli", threads=2))
    result = {"checks": len(checks), "passages_scored": n,
              "passage checks": sum(len(c.evidence) > len(o.evidence) for c, o in zip(lifted, checks)),
              "sentences alone": printed_report(checks), "with passages": printed_report(lifted)}
    (ROOT / "benchmarks/results/passage_premise.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
