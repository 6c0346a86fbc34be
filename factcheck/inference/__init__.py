"""Model wrappers: the NLI cross-encoder and the sentence embedder (onnxruntime; torch optional)."""
