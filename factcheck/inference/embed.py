"""Sentence embeddings (all-MiniLM-L6-v2 exported to ONNX with mean pooling and L2 norm inside)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from factcheck.inference.runtime import (
    ALONE,
    Lanes,
    ModelError,
    RuntimeSettings,
    length_order,
    load_tokenizer,
    onnx_session,
    require_dir,
    run_session,
)


class Embedder:
    """Unit-length sentence vectors from an ONNX export made by ``factcheck-lab export-embedder``.

    Args:
        path: directory holding ``model.onnx`` and the tokenizer files.
        runtime: threads, spinning and int8 weight form (runtime.RuntimeSettings).
    """

    def __init__(self, path: str | Path, runtime: RuntimeSettings = RuntimeSettings(), max_length: int = 128):
        directory = require_dir(path, "embedding")
        onnx_file = directory / "model.onnx"
        if not onnx_file.is_file():
            raise ModelError(f"embedding model has no model.onnx: {directory}")
        self.session = onnx_session(onnx_file, runtime)
        self.tokenizer = load_tokenizer(directory)
        self.lanes = Lanes(runtime.thread_count)
        self.max_length = max_length
        info = directory / "model_info.json"
        self.name = json.loads(info.read_text())["name"] if info.is_file() else directory.name
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts`` into a float32 array of shape (len(texts), dimension), rows of unit length;
        ``batch_size`` texts per call; texts embedded alone (``batch_size`` ALONE) several calls side by
        side (``self.lanes``)."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = length_order(texts)
        chunks = [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
        encoded = [
            self.tokenizer(
                [texts[i] for i in chunk],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            for chunk in chunks
        ]
        embedded = self.lanes.map_if(batch_size == ALONE, lambda e: run_session(self.session, e), encoded)
        for chunk, vectors in zip(chunks, embedded, strict=True):
            out[chunk] = vectors
        return out
