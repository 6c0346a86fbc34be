"""Static (calibrated) activation quantisation for the NLI model: is a pair's answer the same in any
batch, is it as accurate, and does batching then pay? (NOTE.md; needs ../shared and torch.)

    python lab/experiments/static-quantisation/run.py [--work runs/static-quantisation] > result.json

The fp32 graph and the candidates are written under --work (kept, so a second run skips the export
and the calibration). Measurements reuse the per-row experiment's (``../per-row-quantisation/run.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
from pathlib import Path

from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import RuntimeSettings
from factcheck.settings import PROJECT_ROOT, Settings
from factcheck_lab.training.data import calibration_pairs, heldout_pairs
from factcheck_lab.training.quantize import HYBRID_LAYERS, _layer, calibration_batches, ffn_output_matmuls

SHARED = PROJECT_ROOT.parent / "shared/data"
METHODS = {"MinMax": {}, "Percentile": {"CalibPercentile": 99.999}}


def _per_row_experiment():
    """The per-row experiment's measurements (_speed, _invariance, _accuracy, _pad_to)."""
    path = Path(__file__).parent.parent / "per-row-quantisation/run.py"
    spec = importlib.util.spec_from_file_location("per_row_quantisation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fp32_model(work: Path) -> Path:
    """The shipped checkpoint exported to fp32 ONNX, with its tokenizer and config."""
    out = work / "fp32"
    if not (out / "model.onnx").is_file():
        from factcheck_lab.training.export import export_nli

        _log("exporting the fp32 graph")
        export_nli(PROJECT_ROOT / "runs/nli-torch", out, "factcheck-nli-mpnet-base", "5-fp32", quantization="none")
    return out


class _Reader:
    """onnxruntime's CalibrationDataReader over tokenised calibration batches."""

    def __init__(self, batches: list[dict]):
        self.batches = iter(batches)

    def get_next(self) -> dict | None:
        return next(self.batches, None)


def _histograms_batch_by_batch() -> None:
    """Make onnxruntime's histogram calibration fold each batch into its histograms as it comes. It keeps
    every batch's activations until the end otherwise (``CalibMaxIntermediateOutputs`` applies to MinMax
    only): 256 pairs took the machine's 24 GiB. Its collector merges histograms across calls."""
    from onnxruntime.quantization.calibrate import HistogramCalibrater

    whole = HistogramCalibrater.collect_data

    def collect_data(self, data_reader) -> None:
        while (batch := data_reader.get_next()) is not None:
            whole(self, _Reader([batch]))

    HistogramCalibrater.collect_data = collect_data


def static_model(fp32: Path, work: Path, method: str, batches: list[dict]) -> Path:
    """QDQ static int8 (per-channel weights, uint8 activations, MatMuls with constant weights), the
    FFN-output MatMuls of the shipped layers weight-only 8-bit as in the shipped recipe."""
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer
    from onnxruntime.quantization.shape_inference import quant_pre_process

    out = work / f"static-{method.lower()}"
    if (out / "model.onnx").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    _histograms_batch_by_batch()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (fp32 / name).is_file():
            shutil.copy(fp32 / name, out / name)
    prepared = work / "fp32-prepared.onnx"
    if not prepared.is_file():
        quant_pre_process(str(fp32 / "model.onnx"), str(prepared))
    ffn = [n for n in ffn_output_matmuls(fp32 / "model.onnx") if _layer(n) in HYBRID_LAYERS]
    partial = out / "static.partial.onnx"
    _log(f"calibrating ({method}) on {sum(len(b['input_ids']) for b in batches)} pairs")
    quantize_static(
        str(prepared),
        str(partial),
        _Reader(batches),
        quant_format=QuantFormat.QDQ,
        op_types_to_quantize=["MatMul", "Gemm"],
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=ffn,
        calibrate_method=getattr(CalibrationMethod, method),
        extra_options={"MatMulConstBOnly": True, **METHODS[method]},
    )
    config = DefaultWeightOnlyQuantConfig(block_size=128, is_symmetric=True, accuracy_level=4, bits=8)
    quantizer = MatMulNBitsQuantizer(
        onnx.load(str(partial)), bits=8, block_size=128, is_symmetric=True, accuracy_level=4,
        nodes_to_include=ffn, algo_config=config,
    )  # fmt: skip
    quantizer.process()
    quantizer.model.save_model_to_file(str(out / "model.onnx"), use_external_data_format=False)
    partial.unlink()
    return out


def _heldout_accuracy(model: NLIModel, rows: list) -> float:
    from factcheck_lab.evaluation.nli import evaluate_nli

    report = evaluate_nli(model, [{"premise": p.premise, "hypothesis": p.hypothesis, "label": p.label,
                                   "label_space": p.label_space} for p in rows])  # fmt: skip
    return report["accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "runs/static-quantisation")
    parser.add_argument("--pairs", type=int, default=2000, help="MNLI matched pairs for the accuracy")
    args = parser.parse_args()
    measure = _per_row_experiment()
    rows = [json.loads(line) for line in (SHARED / "eval/mnli_matched.jsonl").open()][: args.pairs]
    pairs = [(r["premise"], r["hypothesis"]) for r in rows]
    heldout = heldout_pairs(SHARED / "nli-train")
    fp32 = fp32_model(args.work)
    tokenizer = NLIModel(fp32, RuntimeSettings(spin=False)).tokenizer
    batches = calibration_batches(tokenizer, calibration_pairs(SHARED / "nli-train"))
    candidates = {"shipped (dynamic, per call)": Path(Settings.from_env().nli_model)}
    candidates |= {f"static, {m}": static_model(fp32, args.work, m, batches) for m in METHODS}
    result = {}
    for name, directory in candidates.items():
        model = NLIModel(directory, RuntimeSettings(spin=False))
        entry = {}
        for padding in (None, 8):
            measure._pad_to(padding, model)
            entry[f"padded to {padding or 'the longest'}"] = measure._invariance(model, pairs)
        entry.update(measure._speed(model, pairs))
        entry[f"MNLI matched accuracy ({len(rows)} pairs)"] = measure._accuracy(model, rows)
        entry[f"held-out slice accuracy ({len(heldout)} pairs)"] = _heldout_accuracy(model, heldout)
        entry["model.onnx MB"] = round((directory / "model.onnx").stat().st_size / 1e6, 1)
        result[name] = entry
        _log(f"{name} {entry}")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
