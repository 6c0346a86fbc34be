"""NLI speed at a fixed sequence length: pairs/s of an ONNX model on MNLI-matched pairs that fill
exactly SEQ tokens (batch 32, 2 intra-op threads by default).

Usage: python benchmarks/nli_speed.py [MODEL_DIR] [--seq 64] [--pairs 640] [--threads 2]
Run it on an idle machine: it measures wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.inference.nli import NLIModel

DATA = ROOT.parent / "shared/data/eval/mnli_matched.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default=str(ROOT / "models/nli"))
    parser.add_argument("--seq", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=640)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    model = NLIModel(args.model, threads=args.threads, max_length=args.seq)
    pairs = []
    for line in DATA.open():
        row = json.loads(line)
        pair = (row["premise"], row["hypothesis"])
        if len(model.tokenizer(*pair)["input_ids"]) >= args.seq:  # truncated to exactly seq tokens
            pairs.append(pair)
        if len(pairs) == args.pairs:
            break
    model.predict(pairs[: args.batch], batch_size=args.batch)  # warm-up
    started = time.perf_counter()
    model.predict(pairs, batch_size=args.batch)
    seconds = time.perf_counter() - started
    print(json.dumps({"model": model.info, "seq_tokens": args.seq, "batch": args.batch, "threads": args.threads,
                      "pairs": len(pairs), "pairs_per_second": round(len(pairs) / seconds, 1)}))


if __name__ == "__main__":
    main()
