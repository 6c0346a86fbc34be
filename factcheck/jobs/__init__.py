"""Async claim-check jobs: a stored queue (one module per store backend) and the runner thread."""

from factcheck.jobs.queue import Job, JobQueue, WorkItem

__all__ = ["Job", "JobQueue", "WorkItem", "job_queue_for"]


def job_queue_for(store) -> JobQueue:
    """The job queue living in the same database as ``store``."""
    from factcheck.store.sqlite import SQLiteStore

    if isinstance(store, SQLiteStore):
        from factcheck.jobs.sqlite import SQLiteJobQueue

        return SQLiteJobQueue(store)
    from factcheck.jobs.postgres import PostgresJobQueue

    return PostgresJobQueue(store)
