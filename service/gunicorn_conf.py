"""gunicorn settings used by ``factcheck serve``: JSON access log lines with the request id, and
prometheus-client multiprocess bookkeeping when a worker exits."""

access_log_format = ('{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
                     '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}')


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
