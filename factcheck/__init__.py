"""factcheck: the fact-checking service's domain: records, settings, the composition root, the check
pipeline, stores, model runtimes and the job queue. Nothing here knows about HTTP (see ``service``)."""
