"""Making models: the training mix, resumable CPU training, ONNX export and quantisation."""
