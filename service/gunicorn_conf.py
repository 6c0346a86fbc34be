"""gunicorn settings used by ``factcheck serve``: JSON access log lines with the request id,
request-line limits left to the app, and prometheus-client multiprocess bookkeeping."""

import os
import shutil
import tempfile
from pathlib import Path

# gunicorn answers over-long request lines and header fields itself, in HTML; with its limits off
# the app sees them and answers in problem+json (request bodies stay capped by MAX_CONTENT_LENGTH).
limit_request_line = 0
limit_request_field_size = 0

access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory ``factcheck serve`` created for this run (not one the operator set)."""
    directory = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""))
    if directory.name.startswith("factcheck-metrics-") and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)
