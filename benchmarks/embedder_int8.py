"""Does the int8 embedder keep retrieval quality? fp32 vs int8 recall@1/@5 on FEVER training-pool claims.

Usage: python benchmarks/embedder_int8.py FP32_DIR INT8_DIR [N]
(FP32_DIR from `factcheck export-embedder --fp32 --out FP32_DIR`; INT8_DIR defaults to models/embed.)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.inference.embed import Embedder

POOL = ROOT.parent / "shared/data/nli-train/fever_paper_test.jsonl"


def measure(directory: str, claims: list[str], evidence: list[str], gold: np.ndarray) -> dict:
    embedder = Embedder(directory, threads=2)
    started = time.perf_counter()
    vectors, queries = embedder.encode(evidence), embedder.encode(claims)
    seconds = time.perf_counter() - started
    top = np.argsort(-(queries @ vectors.T), axis=1)[:, :5]
    return {"recall@1": round(float((top[:, 0] == gold).mean()), 3),
            "recall@5": round(float(np.mean([g in row for g, row in zip(gold, top)])), 3),
            "texts_per_s": round((len(evidence) + len(claims)) / seconds), "vectors": vectors}


def main() -> None:
    fp32_dir, int8_dir = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "models/embed")
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    rows = [json.loads(line) for line in POOL.open()][:n]
    evidence = sorted({r["premise"] for r in rows})
    index = {text: i for i, text in enumerate(evidence)}
    gold = np.array([index[r["premise"]] for r in rows])
    claims = [r["hypothesis"] for r in rows]
    results = {name: measure(d, claims, evidence, gold) for name, d in (("fp32", fp32_dir), ("int8", int8_dir))}
    cosine = float((results["fp32"].pop("vectors") * results["int8"].pop("vectors")).sum(1).mean())
    print(json.dumps({**results, "mean_cosine_fp32_int8": round(cosine, 4), "claims": n}, indent=2))


if __name__ == "__main__":
    main()
