"""`factcheck ingest` on files: .txt, .json, .jsonl, bad items reported and the exit code set."""

from __future__ import annotations

import json

from click.testing import CliRunner

from factcheck.store import open_store
from service.cli import main
from tests.conftest import SAMPLES


def test_ingest_sample_directory_then_again_is_unchanged(tmp_path):
    store = f"sqlite:///{tmp_path / 'cli.db'}"
    first = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--store", store])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["created"] == 5 and summary["index"]["articles"] == 5
    again = json.loads(CliRunner().invoke(main, ["ingest", str(SAMPLES), "--store", store]).stdout.splitlines()[-1])
    assert again["unchanged"] == 5 and "created" not in again
    article, sentences = open_store(store).get("000_949f9742b0ff68c5")
    assert article.title.startswith("Russia has begun to withdraw") and len(sentences) == 11


def test_ingest_json_and_jsonl_reports_bad_items(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"id": "j1", "title": "T", "text": "Planes left Syria."}))
    (tmp_path / "many.jsonl").write_text(
        "\n".join(
            json.dumps(a)
            for a in [{"id": "l1", "text": "Talks resumed."}, {"id": "l2"}, {"id": "l3", "text": "Jets landed."}]
        )
    )
    store = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "one.json"), str(tmp_path / "many.jsonl"), "--store", store]
    )
    assert result.exit_code == 1
    assert "many.jsonl item 2" in result.output and "text" in result.output
    assert open_store(store).stats()["articles"] == 3
