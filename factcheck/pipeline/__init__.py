"""The domain core: ingest, retrieve, verify, aggregate. Nothing here knows about HTTP."""
