"""Coreference-light premise context: would a sentence that opens with a pronoun ("He served as
controller of BBC Two") be judged better as "previous sentence + sentence"? Measured on the
training-side tuning set of `factcheck calibrate` (never eval/), offline: every such retrieved
sentence with a sentence before it in its text is scored again by the NLI model with that premise, its
relevance is the higher of its own cosine and that of the same text, and the grid's best rule is
chosen again, in sample and cross-validated over two halves of the claims.

Usage: python benchmarks/pronoun_context.py [--checks runs/tune/checks-all-v3.pkl]
The sentences are scored again by models/nli, so the pickle must have been scored by the same model:
session 13's numbers are NLI v3's (models/nli before commit 0fd54e1, with checks-all-v3.pkl).
Writes benchmarks/results/pronoun_context.json.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from neighbour_context import previous_sentences
from relevance_gates import report
from tuning_errors import shipped_rule_tuning_set

from factcheck.core.verify import LABEL_NAMES
from factcheck.inference.embed import Embedder
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE

PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those"}


def opens_with_pronoun(sentence: str) -> bool:
    first = sentence.split(maxsplit=1)[0].strip("\"'`(") if sentence.strip() else ""
    return first.lower() in PRONOUNS


def with_previous_sentence(checks, texts: list[str], nli: NLIModel, embedder: Embedder) -> tuple[list, int]:
    """The checks with each pronoun sentence that has a sentence before it scored as 'previous
    sentence' + 'sentence' (probabilities and relevance); also how many distinct pairs that was."""
    where = {(k, j): (f"{before} {text}", checks[k].claim)
             for (k, j), before in previous_sentences(checks, texts).items()
             if opens_with_pronoun(text := checks[k].evidence[j].hit.text)}
    pairs = sorted(set(where.values()))
    probs = dict(zip(pairs, nli.predict(pairs, batch_size=ALONE)))
    contexts = sorted({premise for premise, _ in pairs})
    claims = sorted({claim for _, claim in pairs})
    context_vectors = dict(zip(contexts, embedder.encode(contexts)))
    claim_vectors = dict(zip(claims, embedder.encode(claims, batch_size=ALONE)))
    out = [replace(c, evidence=list(c.evidence)) for c in checks]
    for (k, j), (premise, claim) in where.items():
        e = out[k].evidence[j]
        cosine = round(float(context_vectors[premise] @ claim_vectors[claim]), 4)
        p = {name: round(float(v), 4) for name, v in zip(LABEL_NAMES, probs[(premise, claim)])}
        out[k].evidence[j] = replace(e, probabilities=p, relevance=max(e.relevance, cosine))
    return out, len(pairs)


def printed_report(checks) -> dict:
    out = report(checks)
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    _, texts, checks, _ = shipped_rule_tuning_set(__doc__)
    lifted, n = with_previous_sentence(checks, texts, NLIModel(ROOT / "models/nli", threads=2),
                                       Embedder(ROOT / "models/embed", threads=2))
    result = {"checks": len(checks), "pronoun_sentences_rescored": n,
              "sentence alone": printed_report(checks), "previous sentence as premise": printed_report(lifted)}
    (ROOT / "benchmarks/results/pronoun_context.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
