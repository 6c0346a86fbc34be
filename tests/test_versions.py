"""Article versions, tombstones and purges through the API."""

from __future__ import annotations

from factcheck.compose import assemble
from factcheck.settings import Settings
from factcheck.store.sqlite import SQLiteStore
from service.app import create_app

ARTICLE = {"id": "tartus", "title": "Tartus", "text": "Russia will keep its Tartus naval facility open."}
CORRECTED = {**ARTICLE, "text": "Russia will close its Tartus naval facility."}


def test_an_update_keeps_the_earlier_text_as_a_version_and_a_delete_leaves_a_tombstone(client):
    client.post("/v1/articles", json=ARTICLE)
    check = client.post("/v1/checks", json={"claim": "Russia will keep the Tartus facility open."}).get_json()
    client.post("/v1/articles", json=CORRECTED)
    listed = client.get("/v1/articles/tartus/versions").get_json()["versions"]
    assert [(v["n"], v["deleted"], v["valid_to"] is None) for v in listed] == [(1, False, False), (2, False, True)]
    first = client.get("/v1/articles/tartus/versions/1").get_json()
    assert first["text"] == ARTICLE["text"] and first["content_hash"] == check["evidence"][0]["article_version"]
    assert client.delete("/v1/articles/tartus").status_code == 204
    assert client.get("/v1/articles/tartus").status_code == 404
    assert [v["deleted"] for v in client.get("/v1/articles/tartus/versions").get_json()["versions"]] == [
        False,
        False,
        True,
    ]
    assert client.get("/v1/articles/tartus/versions/9").status_code == 404
    assert client.get("/v1/articles/nope/versions").status_code == 404


def test_a_purge_needs_admin_removes_every_version_and_leaves_checks_the_sentence_text(tmp_path, embedder, nli):
    services = assemble(SQLiteStore(tmp_path / "purge.db"), embedder, nli)
    app = create_app(Settings(job_runner=False, api_keys="w:write+check+read,a:admin"), services=services)
    client = app.test_client()
    writer, admin = {"X-API-Key": "w"}, {"X-API-Key": "a"}
    client.post("/v1/articles", json=ARTICLE, headers=writer)
    check = client.post("/v1/checks", json={"claim": "Russia will keep Tartus open."}, headers=writer).get_json()
    refused = client.delete("/v1/articles/tartus?purge=true", headers=writer)
    assert refused.status_code == 403 and "'admin'" in refused.get_json()["detail"]
    assert client.delete("/v1/articles/tartus?purge=true", headers=admin).status_code == 204
    assert client.get("/v1/articles/tartus/versions", headers=admin).status_code == 404
    cited = client.get(f"/v1/checks/{check['id']}", headers=admin).get_json()["result"]["evidence"][0]
    assert cited["text"] == ARTICLE["text"] and cited["purged"] and cited["title"] == ""
    audit = client.get("/v1/audit", headers=admin).get_json()["entries"]
    assert ("article.purge", "tartus", "purged") in [(e["action"], e["resource"], e["outcome"]) for e in audit]
