"""How well the drafts endpoint tells check-worthy sentences (factcheck.pipeline.checkworthy) from the
rest, against the hand-labelled set ``lab/data/checkworthy.jsonl``."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from factcheck.pipeline.checkworthy import worthiness
from factcheck.pipeline.sentences import split_sentences
from factcheck.settings import PROJECT_ROOT
from factcheck_lab.evaluation.pipeline import news_articles

CHECKWORTHY_SET = PROJECT_ROOT / "lab/data/checkworthy.jsonl"


def labelled_sentences(path: Path = CHECKWORTHY_SET) -> list[tuple[dict, str]]:
    """Each labelled row with its sentence's text, split as the service splits; a row whose sentence no
    longer has the text it was labelled on (the splitter changed) is an error, not a silent miss."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {a.id: a.text for a in news_articles({r["article"] for r in rows}, distractors=0)}
    split = {article: [s.text for s in split_sentences(text)] for article, text in texts.items()}
    out = []
    for row in rows:
        sentence = split[row["article"]][row["sentence"]]
        if hashlib.sha256(sentence.encode()).hexdigest()[:12] != row["sha256"]:
            raise ValueError(f"{row['article']} sentence {row['sentence']} is not the sentence labelled")
        out.append((row, sentence))
    return out


def eval_checkworthiness(path: Path = CHECKWORTHY_SET) -> dict:
    """Precision, recall and F1 of "check-worthy" against the human label, overall and per source
    (sample articles, Multi-News), and why the rules skip what they skip."""
    labelled = labelled_sentences(path)
    marks = [worthiness(sentence) for _, sentence in labelled]
    sources = {
        "all": lambda a: True,
        "sample": lambda a: not a.startswith("mn-"),
        "multi-news": lambda a: a.startswith("mn-"),
    }
    report: dict = {"sentences": len(labelled)}
    for name, keep in sources.items():
        pairs = [
            (row["checkworthy"], mark.checkworthy)
            for (row, _), mark in zip(labelled, marks, strict=True)
            if keep(row["article"])
        ]
        report[name] = _scores(pairs)
    report["skip_reasons"] = dict(Counter(m.reason for m in marks if not m.checkworthy).most_common())
    report["misses"] = [
        {"article": row["article"], "sentence": row["sentence"], "gold": row["checkworthy"], "rules": mark.reason}
        for (row, _), mark in zip(labelled, marks, strict=True)
        if row["checkworthy"] != mark.checkworthy
    ]
    return report


def _scores(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(pairs),
        "checkworthy": sum(g for g, _ in pairs),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round(sum(g == p for g, p in pairs) / max(1, len(pairs)), 4),
    }
