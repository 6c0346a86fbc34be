"""The ``factcheck`` command: serve, ingest, check, migrate, openapi."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from factcheck.compose import Services, build_services
from factcheck.settings import Settings
from factcheck.store.base import StoreError
from service.files import SAMPLES_DIR

INGEST_CHUNK = 32  # articles embedded together: fewer, fuller batches; progress stays smooth


def _settings(store: str | None) -> Settings:
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    return replace(settings, store_url=store) if store else settings


def _services(store: str | None) -> Services:
    services = build_services(_settings(store))
    if services.checker is None:
        raise click.ClickException(services.load_error or "models not loaded")
    return services


@click.group()
def main() -> None:
    """Fact-checking service: index articles, check claims, cite the sentences that decide."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL or sqlite:///var/factcheck.db)")
@click.option(
    "--index-samples", is_flag=True, help="Index the bundled sample articles first (FACTCHECK_INDEX_SAMPLES=1)"
)
def serve(host: str, port: int, workers: int, store: str | None, index_samples: bool) -> None:
    """Run the HTTP API under gunicorn."""
    settings = _settings(store)
    if index_samples or settings.index_samples:
        _ingest(build_services(settings), [SAMPLES_DIR])
    else:  # the schema brought up to date once, before the workers start: each would wait on the other
        from factcheck.compose import open_configured_store

        with contextlib.suppress(StoreError):  # unreachable: the workers start anyway and say so (/readyz)
            open_configured_store(settings)
    if store:
        os.environ["FACTCHECK_STORE_URL"] = store  # the workers read their settings from the environment
    # Idle onnxruntime threads sleep instead of spinning: one request alone gets every core, concurrent
    # ones share them (docs/decisions/0015-check-latency-on-the-full-multi-news-index.md).
    os.environ.setdefault("FACTCHECK_SPIN", "0")
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:  # metrics summed over workers, fresh per start
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="factcheck-metrics-")
    args = [
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{host}:{port}",
        "--timeout",
        "300",
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
        "--config",
        "python:service.gunicorn_conf",
        "service.wsgi:app",
    ]
    os.execvp(sys.executable, [sys.executable, "-m", *args])


def _ingest(services: Services, paths: list[Path]) -> bool:
    """Index the articles in ``paths`` with a progress bar; prints a summary; True if every file was read."""
    from tqdm import tqdm

    from service.files import read_articles

    indexer = services.require_indexer()
    articles, problems = read_articles(paths)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    counts: dict[str, int] = {}
    with tqdm(total=len(articles), unit="article", desc="indexing", file=sys.stderr) as bar:

        def progress(_: int, results: list) -> None:
            for result in results:
                counts[result.status] = counts.get(result.status, 0) + 1
            bar.update(len(results))

        indexer.upsert_chunked(articles, INGEST_CHUNK, progress)
    click.echo(
        json.dumps({"articles": len(articles), **counts, "skipped": len(problems), "index": services.store.stats()})
    )
    return not problems


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
def ingest(paths: tuple[Path, ...], store: str | None) -> None:
    """Index .txt, .json or .jsonl files (directories: every such file inside)."""
    if not _ingest(_services(store), list(paths)):
        sys.exit(1)


@main.command()
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
def migrate(store: str | None) -> None:
    """Create or upgrade the store's schema, then tag the English articles that have no named entities
    yet (with FACTCHECK_NER_MODEL set); prints the versions before and after and what was tagged."""
    from factcheck.compose import open_configured_store

    settings = _settings(store)
    handle = open_configured_store(settings)  # opening applies pending migrations
    before, after = handle.schema_versions
    report = {"store": type(handle).__name__, "schema_version_before": before, "schema_version": after}
    pending = handle.count_untagged()
    if pending and settings.ner_model:
        report["entities_tagged"] = _tag(handle, settings.ner_model, pending)
    elif pending:
        click.echo(
            f"warning: {pending} English article(s) have no named entities; set FACTCHECK_NER_MODEL and run"
            " `factcheck migrate` again to tag them",
            err=True,
        )
    report["entities_pending"] = handle.count_untagged()
    click.echo(json.dumps(report))


def _tag(store, model: str, pending: int) -> int:
    """Tag the untagged articles of ``store`` with the spaCy pipeline ``model``, with a progress bar."""
    from factcheck.inference.language import EntityTagger
    from factcheck.inference.runtime import ModelError
    from factcheck.pipeline.ingest import tag_untagged

    try:
        tagger = EntityTagger(model)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=pending, label="tagging named entities", file=sys.stderr) as bar:
        return tag_untagged(store, tagger, progress=bar.update)


@main.command()
@click.argument("claim")
@click.option("--top-k", default=8, show_default=True, type=click.IntRange(1, 50))
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response")
def check(claim: str, top_k: int, store: str | None, as_json: bool) -> None:
    """Check one claim against the index."""
    from service.schemas import CheckResultSchema

    result = CheckResultSchema().dump(_services(store).require_checker().check(claim, top_k))
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(
        f"{result['verdict']} (confidence {result['confidence']:.2f}"
        f"{', conflicting evidence' if result['conflict'] else ''})"
    )
    for e in result["evidence"]:
        score = f"{max(e['probabilities'].values()):.2f}" if e["probabilities"] else " -- "  # None: not scored
        click.echo(
            f"  [{e['label']:<10} {score}] {e['article_id']}#{e['sentence_index']}"
            f" ({e['start']}-{e['end']}): {e['text']}"
        )


@main.command()
def openapi() -> None:
    """Print the OpenAPI document generated from the code (commit it as openapi.yaml)."""
    from service.app import create_app
    from service.openapi import spec_yaml

    settings = Settings(store_url="sqlite:///:memory:", job_runner=False)
    app = create_app(settings, services=build_services(settings, with_models=False))
    click.echo(spec_yaml(app), nl=False)


if __name__ == "__main__":
    main()
