"""How large an eval set's ECE is by chance alone: the ECE a perfectly calibrated confidence would
show on a set of that size and with those confidences. Each claim of an eval run's reliability table
(bins of `factcheck eval ... --json`: count and mean confidence) is drawn right with probability equal
to its confidence, the ECE of the draw is computed as the evals compute it, and this is repeated.
Measures nothing new on eval/: it reads the confidences of runs already made and chooses nothing.

Usage: python benchmarks/ece_floor.py benchmarks/results/eval-s15-claimwords-scifact.json [...]
       [--draws 2000] [--seed 0]
Prints, per file, the measured ECE beside the mean and 95th percentile of the chance ECE and how often
chance alone reaches 0.08 (the verdict-quality issue's bar). Writes benchmarks/results/ece_floor.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.core.calibration import expected_calibration_error

BAR = 0.08


def confidences(run: dict) -> np.ndarray:
    """One confidence per claim: each reliability bin's mean confidence, as many times as its count."""
    return np.concatenate([np.full(b["n"], b["confidence"]) for b in run["reliability"]])


def chance_ece(conf: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """ECE of ``draws`` outcomes drawn right with probability ``conf`` (a perfectly calibrated map)."""
    return np.array([expected_calibration_error(conf, rng.random(len(conf)) < conf)["ece"] for _ in range(draws)])


def floor(path: Path, draws: int, seed: int) -> dict:
    run = json.loads(path.read_text())
    conf = confidences(run)
    chance = chance_ece(conf, draws, np.random.default_rng(seed))
    return {"file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), "claims": len(conf),
            "ece": run["ece"], "chance_mean": round(float(chance.mean()), 4),
            "chance_p95": round(float(np.percentile(chance, 95)), 4),
            f"chance_share_at_or_over_{BAR}": round(float((chance >= BAR).mean()), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", type=Path, help="eval JSON files (factcheck eval ... --json)")
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = [floor(path.resolve(), args.draws, args.seed) for path in args.runs]
    for r in rows:
        print(f"{r['file']}: {r['claims']} claims, ECE {r['ece']}; a perfectly calibrated map: mean {r['chance_mean']},"
              f" 95th percentile {r['chance_p95']}, reaches {BAR} {r[f'chance_share_at_or_over_{BAR}']:.1%} of the time")
    (ROOT / "benchmarks/results/ece_floor.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
