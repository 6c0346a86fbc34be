"""openapi.yaml is the contract: generated from the code, committed, served byte for byte."""

from __future__ import annotations

import re

import yaml

from factcheck.settings import PROJECT_ROOT
from service.openapi import spec_yaml

COMMITTED = PROJECT_ROOT / "openapi.yaml"


def test_committed_openapi_matches_the_code(app):
    assert COMMITTED.read_text(encoding="utf-8") == spec_yaml(app), (
        "openapi.yaml is stale: regenerate it with `factcheck openapi > openapi.yaml` and commit it"
    )


def test_served_openapi_is_byte_equal_to_the_committed_file(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200 and response.data == COMMITTED.read_bytes()


def test_every_operation_documents_its_problem_responses():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "default" in responses, f"{method} {path} documents no default error"
            if "requestBody" in operation or operation.get("parameters"):
                assert "422" in responses, f"{method} {path} documents no 422"
    for name, response in spec["components"]["responses"].items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


def test_every_404_names_the_resource_of_its_path_and_is_real(client):
    """Each documented 404 says which resource is missing, and asking for a missing one gives it."""
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    documented = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "parameters" and "404" in operation["responses"]:
                documented[(method, path)] = operation["responses"]["404"]["description"]
    resource = {
        "/v1/articles/{article_id}": "article",
        "/v1/articles/{article_id}/versions": "article",
        "/v1/articles/{article_id}/versions/{n}": "article",
        "/v1/jobs/{job_id}": "job",
        "/v1/checks/{check_id}": "check",
        "/v1/checks/{check_id}/claimreview": "check",
        "/v1/checks/{check_id}/replay": "check",
    }
    assert {path for _, path in documented} == set(resource)
    for (method, path), description in documented.items():
        assert description == f"No such {resource[path]}", (method, path, description)
        missing = client.open(re.sub(r"\{[a-z_]+\}", "nope", path.replace("{n}", "1")), method=method.upper())
        assert missing.status_code == 404 and resource[path] in missing.get_json()["detail"], (method, path)
