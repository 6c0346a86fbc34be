"""Async claim-check jobs: a stored queue (one module per store backend) and the runner thread."""

from factcheck.jobs.queue import Job, JobQueue, WorkItem
from factcheck.jobs.runner import JobRunner, post_callback
from factcheck.store.base import Store

__all__ = ["Job", "JobQueue", "JobRunner", "WorkItem", "job_queue_for", "post_callback"]


def job_queue_for(store: Store) -> JobQueue:
    """The job queue living in the same database as ``store``."""
    from factcheck.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from factcheck.jobs.sqlite import SQLiteJobQueue

        return SQLiteJobQueue(store)
    from factcheck.jobs.postgres import PostgresJobQueue
    from factcheck.store.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        raise TypeError(f"no job queue for {type(store).__name__}")
    return PostgresJobQueue(store)
