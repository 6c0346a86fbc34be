"""NLI speed and accuracy side by side: pairs/s of each model variant at fixed sequence lengths (MNLI
matched pairs that fill exactly SEQ tokens, batch 32, 2 intra-op threads) and its accuracy on the first
ACCURACY pairs of MNLI matched, so a speed-up never hides a loss.

Usage: python -m lab.benchmarks.nli_speed [--variant NAME=DIR ...] [--seqs 32 64 128] [--pairs 320]
       [--accuracy 1000] [--threads 2]
Default variant: int8=models/nli; a variant may be a torch checkpoint (needs the lab's train extra).
Run it on an idle machine: it measures wall time.
Writes lab/benchmarks/results/nli_speed.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import RuntimeSettings
from factcheck.settings import PROJECT_ROOT
from factcheck_lab.checkpoints import load_nli

ROOT = PROJECT_ROOT

DATA = ROOT.parent / "shared/data/eval/mnli_matched.jsonl"
GOLD = {"entailment": 0, "neutral": 1, "contradiction": 2}


def mnli_rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def pairs_of_length(model: NLIModel, rows: list[dict], seq: int, n: int) -> list[tuple[str, str]]:
    """Pairs whose tokenisation reaches ``seq`` tokens (truncated to exactly ``seq``)."""
    out = []
    for row in rows:
        pair = (row["premise"], row["hypothesis"])
        if len(model.tokenizer(*pair)["input_ids"]) >= seq:
            out.append(pair)
        if len(out) == n:
            break
    return out


def pairs_per_second(model: NLIModel, pairs: list[tuple[str, str]], batch: int) -> float:
    # fixed batches of ``batch`` pairs of one length, as in earlier sessions (no token budget)
    model.predict(pairs[:batch], batch_size=batch, max_tokens=None)  # warm-up
    started = time.perf_counter()
    model.predict(pairs, batch_size=batch, max_tokens=None)
    return round(len(pairs) / (time.perf_counter() - started), 1)


def accuracy(model: NLIModel, rows: list[dict]) -> float:
    probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows])
    # predict's columns are (entailment, neutral, contradiction) whatever the model's own label order
    return round(float(np.mean(probs.argmax(axis=1) == np.array([GOLD[r["label"]] for r in rows]))), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", action="append", default=None, help="NAME=MODEL_DIR (repeatable)")
    parser.add_argument("--seqs", type=int, nargs="+", default=[32, 64, 128])
    parser.add_argument("--pairs", type=int, default=320)
    parser.add_argument("--accuracy", type=int, default=1000, help="MNLI-matched pairs for the accuracy column")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--out", default=str(ROOT / "lab/benchmarks/results/nli_speed.json"), help="JSON result file")
    args = parser.parse_args()
    variants = dict(v.split("=", 1) for v in (args.variant or [f"int8={ROOT / 'models/nli'}"]))
    rows = mnli_rows()
    results = []
    for name, directory in variants.items():
        row = {"variant": name, "model_dir": directory}
        for seq in args.seqs:
            model = load_nli(directory, RuntimeSettings(threads=args.threads), max_length=seq)
            row[f"pairs_per_s@{seq}"] = pairs_per_second(
                model, pairs_of_length(model, rows, seq, args.pairs), args.batch
            )
        row["runtime"] = model.info["runtime"]
        row[f"mnli_accuracy@{args.accuracy}"] = accuracy(
            load_nli(directory, RuntimeSettings(threads=args.threads)), rows[: args.accuracy]
        )
        results.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    header = f"{'variant':<12} {'runtime':<8}" + "".join(f" {'@' + str(s) + ' pairs/s':>14}" for s in args.seqs)
    print(header + f" {'MNLI-m acc':>11}")
    for r in results:
        print(
            f"{r['variant']:<12} {r['runtime']:<8}"
            + "".join(f" {r[f'pairs_per_s@{s}']:>14}" for s in args.seqs)
            + f" {r[f'mnli_accuracy@{args.accuracy}']:>11}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"threads": args.threads, "batch": args.batch, "pairs": args.pairs, "rows": results}, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
