"""The lab's tests share the serving suite's fixtures: the shipped models, loaded once, and ../shared."""

from tests.conftest import embedder, nli, shared_dir  # noqa: F401  (pytest fixtures)
