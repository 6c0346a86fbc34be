"""How NLIModel.predict should group pairs: fixed batches of 32, token budgets, and every pair alone (what
the check path does since session 5: runtime.ALONE), on the pairs the service really sends to the model.

The pairs: for the first CLAIMS Multi-News summary sentences, the retrieved sentences (top_k 8, index
built by check_latency.py) that pass the relevance gate of models/nli/decision_rule.json, as
(sentence, claim). They are predicted in groups of GROUP pairs (32 claims' worth, as one
/v1/checks/batch request sends) with each variant in turn, REPEATS times, so slow and fast moments of
the machine fall on every variant. "alone" runs two calls side by side (runtime.Lanes, as the check
path does), "alone, 1 lane" one after another; batched calls always run one after another. Also
reports the token lengths of the pairs.

Usage: python benchmarks/nli_batching.py [--index runs/bench/multi-news.db] [--claims 200] [--group 113]
       [--budgets 512 1024 2048] [--repeats 3]
Run it on an idle machine: it measures wall time. Writes benchmarks/results/nli_batching.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FACTCHECK_SPIN", "0")  # as under factcheck serve

from benchmarks.multinews import multi_news
from factcheck.core.decision import RULE_FILE, DecisionRule
from factcheck.core.relevance import overlap
from factcheck.core.retrieve import Retriever
from factcheck.core.types import Filters
from factcheck.inference.embed import Embedder
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ALONE, Lanes
from factcheck.store.sqlite import SQLiteStore


def gated_pairs(index: Path, claims: list[str], rule: DecisionRule) -> list[tuple[str, str]]:
    """The pairs the service sends to the model: claims embedded alone, as the check path does, and
    the sentences the rule finds about the claim (DecisionRule.about, as verify_many asks it)."""
    store = SQLiteStore(index)
    retriever = Retriever(store)
    vectors = Embedder(ROOT / "models/embed", threads=2).encode(claims, batch_size=ALONE)
    return [(hit.text, claim) for claim, vector in zip(claims, vectors)
            for hit in retriever.retrieve(claim, vector, Filters(), 8)
            if rule.about(round(float(hit.vector @ vector), 4), overlap(claim, hit.text))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=str(ROOT / "runs/bench/multi-news.db"))
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--group", type=int, default=113, help="pairs per predict call (32 claims x 3.5 pairs)")
    parser.add_argument("--budgets", type=int, nargs="+", default=[512, 1024, 2048])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not Path(args.index).is_file():
        raise SystemExit(f"no index at {args.index}: run benchmarks/check_latency.py first (it builds it)")
    _, claims = multi_news()
    model = NLIModel(ROOT / "models/nli", threads=2)
    pairs = gated_pairs(Path(args.index), claims[: args.claims], DecisionRule.load(model.directory / RULE_FILE))
    lengths = np.array([len(model.tokenizer(p, h)["input_ids"]) for p, h in pairs])
    variants = {"fixed 32": (32, None), **{f"budget {b}": (32, b) for b in args.budgets}, "alone": (1, None),
                "alone, 1 lane": (1, None)}
    model.predict(pairs[: args.group])  # warm-up
    lanes, one_lane = model.lanes, Lanes(1)
    speeds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, (batch, budget) in variants.items():
            model.lanes = one_lane if name == "alone, 1 lane" else lanes
            started = time.perf_counter()
            for start in range(0, len(pairs), args.group):
                model.predict(pairs[start:start + args.group], batch_size=batch, max_tokens=budget)
            speeds[name].append(round(len(pairs) / (time.perf_counter() - started), 1))
    result = {"pairs": len(pairs), "claims": args.claims, "group": args.group,
              "token_length_percentiles": dict(zip(("p10", "p50", "p90", "p95", "p99", "max"),
                                                   [int(x) for x in np.percentile(lengths, [10, 50, 90, 95, 99, 100])])),
              "share_over_128_tokens": round(float((lengths > 128).mean()), 4),
              "pairs_per_s": {name: {"runs": runs, "median": statistics.median(runs)} for name, runs in speeds.items()}}
    print(f"{len(pairs)} gated pairs of {args.claims} claims; token lengths {result['token_length_percentiles']}")
    for name, row in result["pairs_per_s"].items():
        print(f"{name:<12} pairs/s median {row['median']:>6}  runs {row['runs']}")
    out = ROOT / "benchmarks/results/nli_batching.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
