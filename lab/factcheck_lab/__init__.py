"""factcheck-lab: making and choosing the service's models and settings (training, export and
quantisation, the tuning set, rule and calibration fitting, evaluation). Uses the serving package's
public API only; the serving package never imports it."""

import os

# transformers announces at import that torch is absent when only the serving install is present.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
