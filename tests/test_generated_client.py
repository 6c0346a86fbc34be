"""A Python client generated from the committed openapi.yaml (openapi-python-client), installed into
a temporary directory and used against the live server: ingest, check, batch check, a 404 problem."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.servers import Server

ROOT = Path(__file__).resolve().parent.parent

USE_CLIENT = textwrap.dedent("""
    import sys
    from factcheck_client import AuthenticatedClient
    from factcheck_client.api.articles import get_v1_articles_article_id, post_v1_articles
    from factcheck_client.api.checks import post_v1_checks, post_v1_checks_batch
    from factcheck_client.models import ArticleIn, CheckBatchIn, CheckIn, CheckResult, Problem, UpsertResult

    client = AuthenticatedClient(base_url=sys.argv[1], token="client-key", timeout=120)
    created = post_v1_articles.sync(client=client, body=ArticleIn(
        id="gen-1", title="Pullout", source="wire",
        text="Russian jets left the Hmeimim air base on Tuesday. Talks resumed in Geneva."))
    assert isinstance(created, UpsertResult) and created.status == "created" and created.sentences == 2, created
    check = post_v1_checks.sync(client=client, body=CheckIn(claim="Russian jets left Hmeimim.", top_k=2))
    assert isinstance(check, CheckResult), check
    assert check.evidence[0].article_id == "gen-1" and check.evidence[0].start == 0
    assert check.verdict.value in ("support", "contradict", "neutral")
    claims = CheckBatchIn(claims=["Talks resumed.", "Jets left."], top_k=1)
    batch = post_v1_checks_batch.sync(client=client, body=claims)
    assert [r.claim for r in batch.results] == ["Talks resumed.", "Jets left."]
    missing = get_v1_articles_article_id.sync(client=client, article_id="nope")
    assert isinstance(missing, Problem) and missing.status == 404, missing
    print("generated client ok")
""")


def test_generated_client_works_against_the_live_server(tmp_path):
    bin_dir = Path(sys.executable).parent
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n")
    subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--config",
            str(config),
            "--output-path",
            str(tmp_path / "client"),
            "--meta",
            "setup",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    site = tmp_path / "site"  # the temporary environment the client is installed into
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(tmp_path / "client"),
        ],
        check=True,
        timeout=300,
    )
    script = tmp_path / "use_client.py"
    script.write_text(USE_CLIENT)
    server = Server(
        f"sqlite:///{tmp_path / 'client.db'}",
        tmp_path / "server.log",
        workers=1,
        env={"FACTCHECK_API_KEYS": "client-key"},
    ).wait_ready()
    try:
        run = subprocess.run(
            [sys.executable, str(script), server.base],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(site)},
            cwd=tmp_path,
            check=False,
        )
    finally:
        server.terminate()
    assert run.returncode == 0 and "generated client ok" in run.stdout, run.stdout + run.stderr
