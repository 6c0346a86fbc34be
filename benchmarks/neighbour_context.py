"""Would the previous sentence as relevance context help? Measured on the training-side tuning set of
`factcheck calibrate` (never eval/), offline: every retrieved sentence gets the higher of its own
cosine with the claim and the cosine of "previous sentence + sentence" (as the title context does for
titled articles), and the grid's best rule is chosen again, in sample and cross-validated over two
halves of the claims, against the shipped family (cosine or word-overlap gate) on the same checks.

Judged on session 8's form of the tuning set, with every claim's without-evidence check; since
session 9 `factcheck calibrate` leaves FEVER's out (`tuning.calibration_checks`, see
benchmarks/negative_checks.py), so these numbers are not those of the shipped rule's choice.

Usage: python benchmarks/neighbour_context.py [--checks FILE]
The checks come from benchmarks/tuning_errors.py's pickle of the whole tuning set (made on first use,
~15 min). Writes benchmarks/results/neighbour_context.json.
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

from relevance_gates import report, with_overlap
from tuning_errors import load_checks

from factcheck.core.sentences import split_sentences
from factcheck.evaluation.tuning import article_ids
from factcheck.inference.embed import Embedder
from factcheck.inference.runtime import ALONE


def previous_sentences(checks, texts: list[str]) -> dict[tuple[int, int], str]:
    """(check k, evidence j) -> the sentence before that retrieved sentence in its text, for every
    retrieved sentence that has one."""
    ids = article_ids(texts)
    sentences = {ids[text]: [s.text for s in split_sentences(text)] for text in texts}
    previous = {}
    for k, check in enumerate(checks):
        for j, e in enumerate(check.evidence):
            split = sentences[e.hit.article_id]
            if 0 < e.hit.index < len(split) and split[e.hit.index] == e.hit.text:
                previous[(k, j)] = split[e.hit.index - 1]
    return previous


def with_previous_sentence(checks, texts: list[str], embedder: Embedder) -> tuple[list, int]:
    """The checks with each sentence's relevance raised to its cosine as 'previous. sentence' when
    that is higher; also the number of sentences that had a previous one."""
    previous = previous_sentences(checks, texts)
    contexts = [f"{before} {checks[k].evidence[j].hit.text}" for (k, j), before in previous.items()]
    claims = sorted({c.claim for c in checks})
    claim_vectors = dict(zip(claims, embedder.encode(claims, batch_size=ALONE)))
    vectors = embedder.encode(contexts)
    out = [replace(c, evidence=list(c.evidence)) for c in checks]
    for (k, j), vector in zip(previous, vectors):
        e = out[k].evidence[j]
        out[k].evidence[j] = replace(e, relevance=max(e.relevance, round(float(vector @ claim_vectors[out[k].claim]), 4)))
    return out, len(previous)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=Path, default=ROOT / "runs/tune/checks-all.pkl")
    args = parser.parse_args()
    _, checks, texts = load_checks(args.checks, None)
    checks = with_overlap(checks)
    lifted, n = with_previous_sentence(checks, texts, Embedder(ROOT / "models/embed", threads=2))
    result = {"checks": len(checks), "sentences_with_a_previous_one": n,
              "sentence alone": report(checks), "previous sentence as context": report(lifted)}
    for name in ("sentence alone", "previous sentence as context"):
        r = result[name]
        print(f"{name}: rule {r['rule']}\n  in sample {r['in_sample']}\n  cross-validated {r['cross_validated']}")
    (ROOT / "benchmarks/results/neighbour_context.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
