"""Whole-pipeline evaluation through the same code paths as the API (Indexer, FactChecker).

- SciFact dev, open setting: index all 5,183 abstracts, check the 300 dev claims.
- FEVER paper_dev: index each SUPPORTS/REFUTES claim's gold evidence as an article (all of them
  together, so every other claim's evidence is a distractor), then check each claim.
The decision rule and the calibration they run with were chosen on the training side (tuning.py).
"""

from __future__ import annotations

import bisect
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from factcheck.inference.embed import Embedder
from factcheck.inference.language import EntityTagger
from factcheck.pipeline.checker import CheckSettings, FactChecker
from factcheck.pipeline.ingest import Indexer, tag_untagged
from factcheck.pipeline.retrieve import normalized
from factcheck.pipeline.screen import Screen
from factcheck.pipeline.sentences import split_sentences
from factcheck.records import Article, CheckResult, Label
from factcheck.settings import PROJECT_ROOT
from factcheck.store.sqlite import SQLiteStore
from factcheck_lab.checkpoints import load_nli
from factcheck_lab.evaluation.calibration import expected_calibration_error

VERDICTS = list(Label)
SCIFACT_LABELS = {"SUPPORT": Label.SUPPORT, "CONTRADICT": Label.CONTRADICT}
FEVER_LABELS = {"SUPPORTS": Label.SUPPORT, "REFUTES": Label.CONTRADICT}


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def label_metrics(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1 over the labels present in gold, and the confusion matrix."""
    confusion = np.zeros((3, 3), dtype=int)
    for g, p in zip(gold, predicted, strict=True):
        confusion[VERDICTS.index(g), VERDICTS.index(p)] += 1
    f1s = []
    for i in range(3):
        if confusion[i, :].sum() == 0:
            continue
        precision = confusion[i, i] / confusion[:, i].sum() if confusion[:, i].sum() else 0.0
        recall = confusion[i, i] / confusion[i, :].sum()
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {
        "accuracy": round(float(np.trace(confusion) / max(1, len(gold))), 4),
        "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0,
        "confusion": {"labels": list(VERDICTS), "rows_gold_cols_predicted": confusion.tolist()},
    }


def calibration_metrics(results: list[CheckResult], gold: list[str]) -> dict:
    """ECE and reliability table of the served confidence, and ECE of the raw confidence."""
    correct = [r.verdict.verdict == g for r, g in zip(results, gold, strict=True)]
    served = expected_calibration_error([r.verdict.confidence for r in results], correct)
    raw = expected_calibration_error([r.verdict.raw_confidence for r in results], correct)
    return {"ece": served["ece"], "ece_raw": raw["ece"], "reliability": served["reliability"]}


class EvalPipeline:
    """A store with the service's ingest and check paths: a fresh temporary file, or ``index_file``,
    which is kept, so a re-run on the same data embeds nothing again (unchanged articles are skipped)."""

    def __init__(
        self,
        nli_dir: str,
        embed_dir: str,
        settings: CheckSettings,
        index_file: Path | None = None,
        screen_dir: str | None = None,
        ner_model: str | None = None,
    ):
        self._tmp = tempfile.TemporaryDirectory()
        if index_file is not None:
            index_file.parent.mkdir(parents=True, exist_ok=True)
        self.store = SQLiteStore(index_file or Path(self._tmp.name) / "eval.db")
        embedder = Embedder(embed_dir)
        tagger = EntityTagger(ner_model) if ner_model else None
        self.indexer = Indexer(self.store, embedder, tagger)  # as the service: entities stored at ingest
        if tagger is not None and self.store.count_untagged():  # a kept index built without them
            tag_untagged(self.store, tagger)
        screen = Screen.load(screen_dir) if screen_dir else None
        self.checker = FactChecker(self.store, embedder, load_nli(nli_dir), settings, screen, tagger)

    def index(self, articles: list[Article], progress: Callable[[str], None]) -> float:
        started = time.perf_counter()

        def report(done: int, _: list) -> None:
            if done % 500 == 0 or done == len(articles):
                progress(f"indexed {done}/{len(articles)} articles")

        self.indexer.upsert_chunked(articles, 100, report)
        return time.perf_counter() - started

    def check(
        self, claims: list[str], top_k: int, progress: Callable[[str], None], batch: int = 16
    ) -> tuple[list[CheckResult], dict[str, float]]:
        results: list[CheckResult] = []
        totals: dict[str, float] = {}
        for start in range(0, len(claims), batch):
            chunk = self.checker.check_many(claims[start : start + batch], top_k)
            results += chunk
            for stage, ms in chunk[0].timings_ms.items():
                totals[stage] = totals.get(stage, 0.0) + ms
            progress(f"checked {len(results)}/{len(claims)} claims")
        per_claim = {stage: round(ms / max(1, len(claims)), 2) for stage, ms in totals.items()}
        return results, per_claim


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def eval_scifact(
    root: Path,
    nli_dir: str,
    embed_dir: str,
    limit: int | None = None,
    top_k: int = 8,
    recall_k: int = 5,
    settings: CheckSettings = CheckSettings(),
    progress: Callable[[str], None] = _stderr,
    corpus_limit: int | None = None,
    index_dir: Path | None = None,
    screen_dir: str | None = None,
    ner_model: str | None = None,
) -> dict:
    """SciFact dev, open setting. Each abstract sentence is put on its own line so cited offsets
    map back to SciFact's sentence numbers. ``corpus_limit`` (for quick runs only) keeps the
    documents the selected claims cite plus that many others."""
    claims = _read_jsonl(root / "claims_dev.jsonl")[:limit]
    corpus = _read_jsonl(root / "corpus.jsonl")
    if corpus_limit is not None:
        cited = {d for c in claims for d in c["cited_doc_ids"]} | {int(d) for c in claims for d in c["evidence"]}
        others = [d for d in corpus if d["doc_id"] not in cited][:corpus_limit]
        corpus = [d for d in corpus if d["doc_id"] in cited] + others
    pipeline = EvalPipeline(
        nli_dir, embed_dir, settings, _index_file(index_dir, "scifact", corpus_limit), screen_dir, ner_model
    )
    line_starts: dict[str, list[int]] = {}
    articles = []
    for doc in corpus:
        text = "\n".join(s.strip() for s in doc["abstract"])
        starts, offset = [], 0
        for sentence in doc["abstract"]:
            starts.append(offset)
            offset += len(sentence.strip()) + 1
        line_starts[str(doc["doc_id"])] = starts
        articles.append(Article(id=str(doc["doc_id"]), title=doc["title"], text=text, source="scifact"))
    index_seconds = pipeline.index(articles, progress)
    results, timings = pipeline.check([c["claim"] for c in claims], top_k, progress)
    gold, predicted, found, with_evidence = [], [], 0, 0
    for claim, result in zip(claims, results, strict=True):
        labels = {SCIFACT_LABELS[s["label"]] for sets in claim["evidence"].values() for s in sets}
        gold.append(labels.pop() if len(labels) == 1 else "neutral")
        predicted.append(result.verdict.verdict)
        rationale = {(doc, n) for doc, sets in claim["evidence"].items() for s in sets for n in s["sentences"]}
        if rationale:
            with_evidence += 1
            cited = {
                (e.hit.article_id, bisect.bisect_right(line_starts[e.hit.article_id], e.hit.start) - 1)
                for e in result.verdict.evidence[:recall_k]
            }
            found += bool(cited & rationale)
    return {
        **label_metrics(gold, predicted),
        **calibration_metrics(results, gold),
        "claims": len(claims),
        f"evidence_recall@{recall_k}": round(found / max(1, with_evidence), 4),
        "claims_with_evidence": with_evidence,
        **_run(pipeline, index_seconds, timings, top_k),
    }


def eval_fever(
    path: Path,
    nli_dir: str,
    embed_dir: str,
    limit: int | None = None,
    top_k: int = 8,
    recall_k: int = 5,
    settings: CheckSettings = CheckSettings(),
    progress: Callable[[str], None] = _stderr,
    index_dir: Path | None = None,
    screen_dir: str | None = None,
    ner_model: str | None = None,
) -> dict:
    """FEVER paper_dev SUPPORTS/REFUTES claims against their gold evidence plus every other claim's
    evidence as distractors. Label accuracy counts neutral as wrong."""
    rows = [r for r in _read_jsonl(path) if r["label"] in FEVER_LABELS and r.get("evidence")][:limit]
    pipeline = EvalPipeline(nli_dir, embed_dir, settings, _index_file(index_dir, "fever", limit), screen_dir, ner_model)
    articles = [
        Article(
            id=f"fever-{r['claim_id']}",
            title=fever_title((r["evidence_pages"] or [""])[0]),
            text=r["evidence"],
            source="fever",
        )
        for r in rows
    ]
    index_seconds = pipeline.index(_unique_ids(articles), progress)
    results, timings = pipeline.check([r["claim"] for r in rows], top_k, progress)
    gold = [FEVER_LABELS[r["label"]] for r in rows]
    predicted = [res.verdict.verdict for res in results]
    own = sum(
        f"fever-{r['claim_id']}" in {e.hit.article_id for e in res.verdict.evidence[:recall_k]}
        for r, res in zip(rows, results, strict=True)
    )
    found = sum(
        bool(gold_sentences(r["evidence"]) & {normalized(e.hit.text) for e in res.verdict.evidence[:recall_k]})
        for r, res in zip(rows, results, strict=True)
    )
    return {
        **label_metrics(gold, predicted),
        **calibration_metrics(results, gold),
        "claims": len(rows),
        f"evidence_recall@{recall_k}": round(found / max(1, len(rows)), 4),
        f"evidence_recall@{recall_k}_own_article": round(own / max(1, len(rows)), 4),
        **_run(pipeline, index_seconds, timings, top_k),
    }


def _run(pipeline: EvalPipeline, index_seconds: float, timings: dict[str, float], top_k: int) -> dict:
    """What every whole-pipeline report says about the run: index, time, settings and models."""
    return {
        "index": pipeline.store.stats(),
        "index_seconds": round(index_seconds, 1),
        "timings_ms_per_claim": timings,
        "top_k": top_k,
        "settings": _settings(pipeline.checker),
        "model": pipeline.checker.model_info,
    }


def gold_sentences(evidence: str) -> set[str]:
    """A FEVER claim's gold evidence sentences, split as the index splits them, in the form the
    retriever compares sentences (``normalized``). Recall counts a cited sentence with the same text
    from another claim's copy of the evidence: the retriever cites a repeated sentence once, under
    whichever article ranks first (the ``_own_article`` figure counts only the claim's own copy)."""
    return {normalized(s.text) for s in split_sentences(evidence)}


# Wikipedia page ids in FEVER spell brackets and colons as tokens: Soul_Food_-LRB-film-RRB-
_FEVER_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "-COLON-": ":"}


def fever_title(page: str) -> str:
    """A FEVER page id as the page's title: 'Soul_Food_-LRB-film-RRB-' -> 'Soul Food (film)'."""
    for token, char in _FEVER_TOKENS.items():
        page = page.replace(token, f" {char} ")
    text = " ".join(page.replace("_", " ").split())
    return re.sub(r"([(\[{]) | ([)\]}:])", lambda m: m.group(1) or m.group(2), text)


def _index_file(index_dir: Path | None, name: str, limit: int | None) -> Path | None:
    """The kept index for this data set and size (a different --limit indexes a different corpus)."""
    return index_dir / f"{name}-{limit or 'all'}.db" if index_dir else None


def _settings(checker: FactChecker) -> dict:
    return {
        "premise_with_title": checker.settings.premise_with_title,
        "relevance_with_title": checker.settings.relevance_with_title,
        "rule": asdict(checker.rule),
        "calibrated": checker.calibration is not None,
        "screen": checker.screen is not None,
        "entities": checker.tagger is not None,
    }


def _unique_ids(articles: Iterable[Article]) -> list[Article]:
    """FEVER has a few repeated claim ids: keep ids unique so every row stays indexed."""
    seen: dict[str, int] = {}
    out = []
    for article in articles:
        seen[article.id] = seen.get(article.id, 0) + 1
        out.append(article if seen[article.id] == 1 else replace(article, id=f"{article.id}-{seen[article.id]}"))
    return out


NEWS_CLAIMS = PROJECT_ROOT / "lab/data/news-claims.jsonl"
SAMPLE_ARTICLES = PROJECT_ROOT / "service/samples/articles"
MULTI_NEWS = PROJECT_ROOT.parent / "shared/data/eval/multi-news/test.jsonl"


def news_articles(wanted: set[str], distractors: int) -> list[Article]:
    """The sample articles, the Multi-News documents ``wanted`` names (``mn-<test_index>-<n>``) and the
    first ``distractors`` other Multi-News documents."""
    articles = []
    for path in sorted(SAMPLE_ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
        articles.append(Article(id=path.stem, title=title, text=text, source="sample"))
    if not MULTI_NEWS.is_file():
        raise FileNotFoundError(f"Multi-News not found at {MULTI_NEWS} (../shared beside the checkout)")
    others = 0
    with MULTI_NEWS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for n, text in enumerate(row["documents"]):
                article_id = f"mn-{row['test_index']}-{n}"
                if text.strip() and (article_id in wanted or others < distractors):
                    others += article_id not in wanted
                    articles.append(Article(id=article_id, title="", text=text, source="multi-news"))
    return articles


def eval_news(
    path: Path,
    nli_dir: str,
    embed_dir: str,
    top_k: int = 8,
    settings: CheckSettings = CheckSettings(),
    progress: Callable[[str], None] = _stderr,
    index_dir: Path | None = None,
    screen_dir: str | None = None,
    ner_model: str | None = None,
    distractors: int = 500,
    limit: int | None = None,
) -> dict:
    """The project's news claim set (lab/data/news-claims.jsonl): accuracy and macro-F1 overall and per
    category, against the articles it was written on and ``distractors`` other Multi-News documents."""
    rows = _read_jsonl(path)[:limit]
    wanted = {a for r in rows for a in r["articles"]}
    pipeline = EvalPipeline(
        nli_dir, embed_dir, settings, _index_file(index_dir, "news", distractors), screen_dir, ner_model
    )
    index_seconds = pipeline.index(news_articles(wanted, distractors), progress)
    results, timings = pipeline.check([r["claim"] for r in rows], top_k, progress)
    gold = [r["label"] for r in rows]
    predicted = [str(res.verdict.verdict) for res in results]
    categories = sorted({r["category"] for r in rows})
    per_category = {}
    for category in categories:
        picked = [i for i, r in enumerate(rows) if r["category"] == category]
        metrics = label_metrics([gold[i] for i in picked], [predicted[i] for i in picked])
        per_category[category] = {
            "claims": len(picked),
            "accuracy": metrics["accuracy"],
            "macro_f1": metrics["macro_f1"],
        }
    return {
        **label_metrics(gold, predicted),
        **calibration_metrics(results, gold),
        "claims": len(rows),
        "per_category": per_category,
        "answers": [{"id": r["id"], "gold": r["label"], "verdict": p} for r, p in zip(rows, predicted, strict=True)],
        **_run(pipeline, index_seconds, timings, top_k),
    }
