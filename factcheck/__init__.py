"""factcheck: the domain core, stores, model wrappers, training and evaluation of the fact-checking service."""

import os

# transformers announces at import that torch is absent; the serving install has no torch on purpose.
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
