# The README's steps, in a container: `./dev install` at build time, `./dev run` at start
# (which indexes the bundled sample corpus and serves on port 8000 with gunicorn).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    FACTCHECK_STORE_URL=sqlite:////app/var/factcheck.db

RUN useradd --create-home --uid 10001 factcheck
WORKDIR /app
COPY --chown=factcheck:factcheck . /app
USER factcheck

RUN ./dev install

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["./dev", "run"]
