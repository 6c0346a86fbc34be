"""NLI models from Hugging Face checkpoints (torch), for measuring a trained model before export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import ModelError, RuntimeSettings


class TorchBackend:
    """An ``inference.nli.Backend`` that runs a Hugging Face sequence-classification checkpoint."""

    kind = "torch"

    def __init__(self, directory: Path, threads: int | None = None):
        try:
            import torch
            from transformers import AutoModelForSequenceClassification
        except ImportError as exc:
            raise ModelError(
                f"{directory} has no model.onnx and torch is not installed "
                "(install the lab's 'train' extra to load Hugging Face checkpoints)"
            ) from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self.model = AutoModelForSequenceClassification.from_pretrained(str(directory)).eval()
        except Exception as exc:  # transformers raises many types for a broken checkpoint
            raise ModelError(f"cannot load NLI checkpoint {directory}: {exc}") from exc
        self.torch = torch

    def logits(self, encoded: dict) -> np.ndarray:
        with self.torch.inference_mode():
            tensors = {k: self.torch.as_tensor(v) for k, v in encoded.items()}
            return self.model(**tensors).logits.float().numpy()


def load_nli(path: str | Path, runtime: RuntimeSettings = RuntimeSettings(), max_length: int = 256) -> NLIModel:
    """The NLI model in ``path``: its ONNX export, or (without one) its torch checkpoint."""
    directory = Path(path)
    if (directory / "model.onnx").is_file():
        return NLIModel(directory, runtime, max_length)
    return NLIModel(directory, runtime, max_length, backend=TorchBackend(directory, runtime.threads))
