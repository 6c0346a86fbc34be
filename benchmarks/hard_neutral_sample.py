"""The label check of mix v6-pass's hard neutral pairs (RESULTS.md, session 16): build the 4,000 pairs
as `training_mix` does (FEVER training rows, shuffled with the mix's seed 13, the shipped embedder) and
print 30 of them drawn with seed 13, claim and premise, for judging by hand.

Usage: python benchmarks/hard_neutral_sample.py > benchmarks/results/hard_neutral_sample.txt
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.training.data import MIX_V6_PASS, _shipped_embedder, _source_rows, hard_neutral

POOL = ROOT.parent / "shared/data/nli-train"
SOURCE = "fever_paper_test+hard-neutral"


def main() -> None:
    rows = _source_rows(POOL, SOURCE.removesuffix("+hard-neutral"))
    started = time.perf_counter()
    pairs = hard_neutral(random.Random(13).sample(rows, len(rows)), MIX_V6_PASS[SOURCE][0], _shipped_embedder())
    print(f"{len(pairs)} pairs in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for pair in random.Random(13).sample(pairs, 30):
        print(f"C: {pair.hypothesis}\nP: {pair.premise[:300]}\n")


if __name__ == "__main__":
    main()
