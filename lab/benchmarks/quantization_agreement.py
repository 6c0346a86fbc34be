"""Which quantisation keeps an exported NLI model closest to its own fp32 graph, judged without labels and
without the held-out slice: the share of training-mix pairs on which each variant predicts the same label
as fp32, the mean absolute change of its probabilities, and its speed.

Usage: python -m lab.benchmarks.quantization_agreement EXPORT_DIR [N] [VARIANT ...]
  EXPORT_DIR: from factcheck_lab.training.export.export_nli(..., keep_fp32=True) (holds model.fp32.onnx)
  N: pairs of the training mix (training.data.calibration_pairs, seed 7; default 2000)
  VARIANT: as lab/benchmarks/nli_quantization.py (default: pc hybrid hybrid-all)
Prints one JSON object; "chosen" is the variant with the highest agreement (a tie: the faster).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from factcheck.inference.runtime import RuntimeSettings
from factcheck.settings import PROJECT_ROOT
from factcheck_lab.checkpoints import load_nli
from factcheck_lab.training.data import calibration_pairs
from lab.benchmarks.nli_quantization import POOL, build_variant

ROOT = PROJECT_ROOT


def probabilities(model_dir: Path, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, float]:
    """The model's probabilities for ``pairs`` and its pairs per second (2 threads)."""
    model = load_nli(model_dir, RuntimeSettings(threads=2))
    started = time.perf_counter()
    probs = model.predict(pairs)
    return probs, len(pairs) / (time.perf_counter() - started)


def main() -> None:
    export_dir = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    variants = sys.argv[3:] or ["pc", "hybrid", "hybrid-all"]
    pairs = calibration_pairs(POOL, n=n)
    reference, reference_speed = probabilities(build_variant(export_dir, "fp32"), pairs)
    rows = []
    for variant in variants:
        probs, speed = probabilities(build_variant(export_dir, variant), pairs)
        rows.append(
            {
                "variant": variant,
                "agreement": round(float((probs.argmax(1) == reference.argmax(1)).mean()), 4),
                "mean_abs_prob_change": round(float(np.abs(probs - reference).mean()), 4),
                "pairs_per_second": round(speed, 1),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    chosen = max(rows, key=lambda r: (r["agreement"], r["pairs_per_second"]))
    print(
        json.dumps(
            {
                "export": str(export_dir),
                "pairs": len(pairs),
                "fp32_pairs_per_second": round(reference_speed, 1),
                "variants": rows,
                "chosen": chosen["variant"],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
