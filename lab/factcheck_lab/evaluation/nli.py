"""NLI evaluation: accuracy, per-class precision/recall, confusion matrix and pairs/s."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from factcheck.inference.nli import NLIModel
from factcheck_lab.training.data import LABELS  # the data sets' names of inference.nli.COLUMNS, in that order


def load_rows(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def _per_class(confusion: np.ndarray, names: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for i, name in enumerate(names):
        predicted, actual = confusion[:, i].sum(), confusion[i, :].sum()
        out[name] = {
            "precision": round(float(confusion[i, i] / predicted), 4) if predicted else 0.0,
            "recall": round(float(confusion[i, i] / actual), 4) if actual else 0.0,
            "support": int(actual),
        }
    return out


def evaluate_nli(model: NLIModel, rows: list[dict], batch_size: int = 32) -> dict:
    """Score ``rows`` (shared NLI schema). 2-way rows count entailment vs not_entailment."""
    started = time.perf_counter()
    probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows], batch_size=batch_size)
    seconds = time.perf_counter() - started
    predicted = probs.argmax(axis=1)
    three = [i for i, r in enumerate(rows) if r.get("label_space", "3way") == "3way"]
    two = [i for i, r in enumerate(rows) if r.get("label_space") == "2way"]
    confusion = np.zeros((3, 3), dtype=int)
    for i in three:
        confusion[LABELS.index(rows[i]["label"]), predicted[i]] += 1
    correct = int(np.trace(confusion))
    correct += sum((predicted[i] == 0) == (rows[i]["label"] == "entailment") for i in two)
    return {
        "accuracy": round(correct / len(rows), 4) if rows else 0.0,
        "pairs": len(rows),
        "pairs_3way": len(three),
        "pairs_2way": len(two),
        "per_class": _per_class(confusion, list(LABELS)),
        "confusion": {"labels": list(LABELS), "rows_gold_cols_predicted": confusion.tolist()},
        "pairs_per_second": round(len(rows) / seconds, 1),
        "model": model.info,
    }


def evaluate_fever_gold(model: NLIModel, rows: list[dict], batch_size: int = 32) -> dict:
    """FEVER claims against their gold evidence: 2-way accuracy (entailment vs contradiction
    probability) for SUPPORTS/REFUTES claims, and how often the 3-way argmax says neutral."""
    rows = [r for r in rows if r["label"] in ("SUPPORTS", "REFUTES") and r.get("evidence")]
    started = time.perf_counter()
    probs = model.predict([(r["evidence"], r["claim"]) for r in rows], batch_size=batch_size)
    seconds = time.perf_counter() - started
    says_support = probs[:, 0] >= probs[:, 2]
    gold_support = np.array([r["label"] == "SUPPORTS" for r in rows])
    per_label = {
        label: round(float((says_support == gold_support)[gold_support == (label == "SUPPORTS")].mean()), 4)
        for label in ("SUPPORTS", "REFUTES")
    }
    return {
        "accuracy": round(float((says_support == gold_support).mean()), 4),
        "claims": len(rows),
        "accuracy_per_label": per_label,
        "neutral_rate": round(float((probs.argmax(1) == 1).mean()), 4),
        "pairs_per_second": round(len(rows) / seconds, 1),
        "model": model.info,
    }


def format_report(result: dict) -> str:
    lines = [
        (
            f"accuracy {result['accuracy']:.4f} on {result.get('pairs', result.get('claims'))} rows, "
            f"{result['pairs_per_second']} pairs/s ({result['model']['name']}, {result['model']['runtime']})"
        )
    ]
    for name, stats in result.get("per_class", {}).items():
        lines.append(
            f"  {name:<14} precision {stats['precision']:.3f}  recall {stats['recall']:.3f}  n={stats['support']}"
        )
    if "confusion" in result:
        lines.append("  confusion (rows gold, cols predicted: " + ", ".join(result["confusion"]["labels"]) + ")")
        lines += ["    " + " ".join(f"{v:6d}" for v in row) for row in result["confusion"]["rows_gold_cols_predicted"]]
    if "neutral_rate" in result:
        lines.append(f"  per label {result['accuracy_per_label']}  neutral rate {result['neutral_rate']:.4f}")
    return "\n".join(lines)
