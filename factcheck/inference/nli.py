"""The NLI cross-encoder: an ONNX model run by onnxruntime (or another ``Backend``).

``predict`` always returns probabilities in the column order ``COLUMNS`` = (support, neutral,
contradict), whatever order and names (entailment / neutral / contradiction) the model's
``id2label`` uses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from factcheck.inference.runtime import (
    ALONE,
    Lanes,
    ModelError,
    RuntimeSettings,
    load_tokenizer,
    onnx_session,
    require_dir,
    run_session,
    token_batches,
)
from factcheck.records import Label

COLUMNS = (Label.SUPPORT, Label.NEUTRAL, Label.CONTRADICT)
# Padded tokens per onnxruntime call when pairs are batched (the bulk eval commands; the check path runs
# each pair alone, runtime.ALONE): 1,024 ran the Multi-News check pairs (median 64 tokens, a tail to
# 256) 1.3-1.5x faster than fixed batches of 32 (docs/decisions/0021-nli-batches-by-token-budget.md).
TOKEN_BUDGET = 1024
_ALIASES = {
    "entailment": Label.SUPPORT,
    "entail": Label.SUPPORT,
    "entails": Label.SUPPORT,
    "neutral": Label.NEUTRAL,
    "contradiction": Label.CONTRADICT,
    "contradict": Label.CONTRADICT,
    "contradicts": Label.CONTRADICT,
}


def label_columns(id2label: dict) -> list[int]:
    """For each of COLUMNS, the model output index that holds it.

    Raises:
        ModelError: when the model does not have exactly the three NLI labels (e.g. 2-label models).
    """
    names = {int(k): _ALIASES.get(str(v).strip().lower()) for k, v in id2label.items()}
    if len(names) != 3 or set(names.values()) != set(COLUMNS):
        raise ModelError(
            f"NLI model labels {sorted(map(str, id2label.values()))} are not the three NLI labels "
            "entailment / neutral / contradiction (2-label models are not supported)"
        )
    by_name = {name: index for index, name in names.items()}
    return [by_name[label] for label in COLUMNS]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


class _OnnxBackend:
    def __init__(self, onnx_file: Path, runtime: RuntimeSettings):
        self.session = onnx_session(onnx_file, runtime)
        self.kind = "onnx"

    def logits(self, encoded: dict) -> np.ndarray:
        return run_session(self.session, encoded)


class Backend(Protocol):
    """What NLIModel runs: logits for a padded tokenizer batch (the lab plugs in a torch one)."""

    kind: str

    def logits(self, encoded: dict) -> np.ndarray: ...


class NLIModel:
    """Batched premise/hypothesis classification.

    Args:
        path: a directory with ``config.json`` (``id2label``), tokenizer files and either
            ``model.onnx`` (onnxruntime) or Hugging Face weights (torch, when installed).
        runtime: threads, spinning and int8 weight form (runtime.RuntimeSettings).
        max_length: token budget per pair; the premise is truncated first.
    """

    def __init__(
        self,
        path: str | Path,
        runtime: RuntimeSettings = RuntimeSettings(),
        max_length: int = 256,
        backend: Backend | None = None,
    ):
        directory = require_dir(path, "NLI")
        config_file = directory / "config.json"
        if not config_file.is_file():
            raise ModelError(f"NLI model has no config.json: {directory}")
        try:
            config = json.loads(config_file.read_text())
        except ValueError as exc:
            raise ModelError(f"NLI model config.json is not valid JSON: {exc}") from exc
        self.columns = label_columns(config.get("id2label") or {})
        onnx_file = directory / "model.onnx"
        if backend is None and not onnx_file.is_file():
            raise ModelError(f"NLI model has no model.onnx: {directory}")
        self.backend = backend or _OnnxBackend(onnx_file, runtime)
        self.tokenizer = load_tokenizer(directory)
        self.lanes = Lanes(runtime.thread_count)
        self.max_length = max_length
        self.directory = directory
        self.name = config.get("factcheck_model_name") or directory.name
        self.version = str(config.get("factcheck_model_version", "unversioned"))

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, max_tokens: int | None = TOKEN_BUDGET
    ) -> np.ndarray:
        """Probabilities of shape (len(pairs), 3), columns in COLUMNS order; one row per (premise, hypothesis).

        The pairs are tokenised once, then run in batches of similar length of at most ``batch_size``
        pairs and ``max_tokens`` padded tokens (None: batches of ``batch_size`` whatever their length),
        pairs run alone (``batch_size`` ALONE) several calls side by side (``self.lanes``)."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        if not pairs:
            return out
        encoded = self.tokenizer(
            [p for p, _ in pairs], [h for _, h in pairs], truncation=True, max_length=self.max_length
        )
        batches = token_batches([len(ids) for ids in encoded["input_ids"]], max_tokens, batch_size)
        padded = [
            dict(self.tokenizer.pad([{key: encoded[key][i] for key in encoded} for i in batch], return_tensors="np"))
            for batch in batches
        ]
        for batch, probs in zip(
            batches, self.lanes.map_if(batch_size == ALONE, self._probabilities, padded), strict=True
        ):
            out[batch] = probs
        return out

    def _probabilities(self, padded: dict) -> np.ndarray:
        return _softmax(self.backend.logits(padded)[:, self.columns])

    @property
    def info(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "runtime": self.backend.kind}
