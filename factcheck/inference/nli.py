"""The NLI cross-encoder wrapper: ONNX (the shipped model) or any Hugging Face checkpoint (torch).

``predict`` always returns probabilities in the column order ``LABELS`` =
(entailment, neutral, contradiction), whatever order the model's ``id2label`` uses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from factcheck.inference.runtime import (
    ALONE,
    Lanes,
    ModelError,
    default_threads,
    load_tokenizer,
    onnx_session,
    require_dir,
    run_session,
    token_batches,
)

LABELS = ("entailment", "neutral", "contradiction")
# Padded tokens per onnxruntime call when pairs are batched (the bulk eval commands; the check path runs
# each pair alone, runtime.ALONE): 1,024 ran the Multi-News check pairs (median 64 tokens, a tail to
# 256) 1.3-1.5x faster than fixed batches of 32 (benchmarks/RESULTS.md, session 5).
TOKEN_BUDGET = 1024
_ALIASES = {"entailment": "entailment", "entail": "entailment", "entails": "entailment",
            "neutral": "neutral", "contradiction": "contradiction", "contradict": "contradiction",
            "contradicts": "contradiction"}


def label_columns(id2label: dict) -> list[int]:
    """For each of LABELS, the model output index that holds it.

    Raises:
        ModelError: when the model does not have exactly the three NLI labels (e.g. 2-label models).
    """
    names = {int(k): _ALIASES.get(str(v).strip().lower()) for k, v in id2label.items()}
    if len(names) != 3 or set(names.values()) != set(LABELS):
        raise ModelError(f"NLI model labels {sorted(map(str, id2label.values()))} are not the three NLI labels "
                         "entailment / neutral / contradiction (2-label models are not supported)")
    by_name = {name: index for index, name in names.items()}
    return [by_name[label] for label in LABELS]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


class _OnnxBackend:
    def __init__(self, onnx_file: Path, threads: int | None):
        self.session = onnx_session(onnx_file, threads)
        self.kind = "onnx"

    def logits(self, encoded: dict) -> np.ndarray:
        return run_session(self.session, encoded)


class _TorchBackend:
    def __init__(self, directory: Path, threads: int | None):
        try:
            import torch
            from transformers import AutoModelForSequenceClassification
        except ImportError as exc:
            raise ModelError(f"{directory} has no model.onnx and torch is not installed "
                             "(install the 'train' extra to load Hugging Face checkpoints)") from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self.model = AutoModelForSequenceClassification.from_pretrained(str(directory)).eval()
        except Exception as exc:  # transformers raises many types for a broken checkpoint
            raise ModelError(f"cannot load NLI checkpoint {directory}: {exc}") from exc
        self.torch = torch
        self.kind = "torch"

    def logits(self, encoded: dict) -> np.ndarray:
        with self.torch.inference_mode():
            tensors = {k: self.torch.as_tensor(v) for k, v in encoded.items()}
            return self.model(**tensors).logits.float().numpy()


class NLIModel:
    """Batched premise/hypothesis classification.

    Args:
        path: a directory with ``config.json`` (``id2label``), tokenizer files and either
            ``model.onnx`` (onnxruntime) or Hugging Face weights (torch, when installed).
        threads: intra-op threads (default: the available cores), also the number of calls run side by
            side (runtime.Lanes).
        max_length: token budget per pair; the premise is truncated first.
    """

    def __init__(self, path: str | Path, threads: int | None = None, max_length: int = 256):
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
        self.backend = _OnnxBackend(onnx_file, threads) if onnx_file.is_file() else _TorchBackend(directory, threads)
        self.tokenizer = load_tokenizer(directory)
        self.lanes = Lanes(threads or default_threads())
        self.max_length = max_length
        self.directory = directory
        self.name = config.get("factcheck_model_name") or directory.name
        self.version = str(config.get("factcheck_model_version", "unversioned"))

    def predict(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32,
                max_tokens: int | None = TOKEN_BUDGET) -> np.ndarray:
        """Probabilities of shape (len(pairs), 3), columns in LABELS order; one row per (premise, hypothesis).

        The pairs are tokenised once, then run in batches of similar length of at most ``batch_size``
        pairs and ``max_tokens`` padded tokens (None: batches of ``batch_size`` whatever their length),
        pairs run alone (``batch_size`` ALONE) several calls side by side (``self.lanes``)."""
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        if not pairs:
            return out
        encoded = self.tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation=True,
                                 max_length=self.max_length)
        batches = token_batches([len(ids) for ids in encoded["input_ids"]], max_tokens, batch_size)
        padded = [dict(self.tokenizer.pad([{key: encoded[key][i] for key in encoded} for i in batch],
                                          return_tensors="np")) for batch in batches]
        for batch, probs in zip(batches, self.lanes.map_if(batch_size == ALONE, self._probabilities, padded)):
            out[batch] = probs
        return out

    def _probabilities(self, padded: dict) -> np.ndarray:
        return _softmax(self.backend.logits(padded)[:, self.columns])

    @property
    def info(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "runtime": self.backend.kind}
