# The service as the README's Deployment section describes it: the serving package installed
# (non-editable: no lab, no tests, no torch), the shipped models, the store on the volume /data,
# gunicorn on port 8000 as a non-root user. The sample articles are indexed only when asked
# (FACTCHECK_INDEX_SAMPLES=1).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FACTCHECK_STORE_URL=sqlite:////data/factcheck.db \
    FACTCHECK_NLI_MODEL=/app/models/nli \
    FACTCHECK_EMBED_MODEL=/app/models/embed

RUN useradd --create-home --uid 10001 factcheck \
    && mkdir /data && chown factcheck:factcheck /data

WORKDIR /app
COPY pyproject.toml README.md /tmp/build/
COPY factcheck /tmp/build/factcheck
COPY service /tmp/build/service
RUN pip install /tmp/build && rm -rf /tmp/build
COPY models /app/models

USER factcheck
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["factcheck", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
