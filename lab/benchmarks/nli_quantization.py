"""Quantisation variants of an exported NLI model, scored on the held-out slice of nli-train (never eval/).

Usage: python -m lab.benchmarks.nli_quantization EXPORT_DIR VARIANT [N]
  EXPORT_DIR: from factcheck_lab.training.export.export_nli(..., keep_fp32=True) (holds model.fp32.onnx)
  VARIANT: fp32 | pc (dynamic int8, per-channel) |
           hybrid (per-channel + weight-only 8-bit FFN outputs of HYBRID_LAYERS; the shipped recipe) |
           hybrid-all (all twelve layers) |
           nbits (weight-only 8-bit MatMuls + int8 embeddings) | smooth[ALPHA] (SmoothQuant on the FFN
           outputs, calibrated on 256 training-mix pairs, + per-channel int8; e.g. smooth0.5)
Prints one JSON line: size, held-out accuracy, pairs/s (held-out lengths, 2 threads).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from transformers import AutoTokenizer

from factcheck.inference.runtime import RuntimeSettings
from factcheck.settings import PROJECT_ROOT
from factcheck_lab.checkpoints import load_nli
from factcheck_lab.evaluation.nli import evaluate_nli
from factcheck_lab.training.data import calibration_pairs, heldout_pairs
from factcheck_lab.training.quantize import RECIPES, calibration_batches, quantize_smooth

ROOT = PROJECT_ROOT

POOL = ROOT.parent / "shared/data/nli-train"


def weight_only(fp32: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    gathered = target.with_suffix(".gather.onnx")
    quantize_dynamic(str(fp32), str(gathered), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])
    config = DefaultWeightOnlyQuantConfig(block_size=128, is_symmetric=True, accuracy_level=4, bits=8)
    quantizer = MatMulNBitsQuantizer(
        onnx.load(str(gathered)), bits=8, block_size=128, is_symmetric=True, accuracy_level=4, algo_config=config
    )
    quantizer.process()
    quantizer.model.save_model_to_file(str(target), use_external_data_format=False)
    gathered.unlink()


def build_variant(export_dir: Path, variant: str) -> Path:
    """EXPORT_DIR's fp32 graph quantised as VARIANT into EXPORT_DIR-VARIANT/ (with the other files); returns it."""
    fp32 = export_dir / "model.fp32.onnx"
    out = export_dir.parent / f"{export_dir.name}-{variant}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    for f in export_dir.iterdir():
        if f.suffix != ".onnx":
            shutil.copy(f, out / f.name)
    target = out / "model.onnx"
    if variant.startswith("smooth"):
        quantize_smooth(
            fp32,
            target,
            calibration_batches(AutoTokenizer.from_pretrained(str(export_dir)), calibration_pairs(POOL)),
            float(variant[6:] or 0.5),
        )
    else:
        recipes = {
            "fp32": shutil.copy,
            "pc": RECIPES["per-channel"],
            "hybrid": RECIPES["hybrid"],
            "hybrid-all": RECIPES["hybrid-all"],
            "nbits": weight_only,
        }
        recipes[variant](fp32, target)
    return out


def main() -> None:
    export_dir, variant = Path(sys.argv[1]), sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    out = build_variant(export_dir, variant)
    target = out / "model.onnx"
    rows = [
        {"premise": p.premise, "hypothesis": p.hypothesis, "label": p.label, "label_space": p.label_space}
        for p in heldout_pairs(POOL)
    ][:limit]
    result = evaluate_nli(load_nli(out, RuntimeSettings(threads=2)), rows)
    print(
        json.dumps(
            {
                "variant": variant,
                "MB": round(target.stat().st_size / 1e6, 1),
                "heldout_accuracy": result["accuracy"],
                "pairs_per_second": result["pairs_per_second"],
                "n": len(rows),
            }
        )
    )


if __name__ == "__main__":
    main()
