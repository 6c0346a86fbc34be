"""A stored check as a schema.org ClaimReview draft (JSON-LD) for the newsroom's CMS to edit and publish.

Google's fact-check rich results need ``claimReviewed``, ``reviewRating`` (with a text
``alternateName``) and ``url`` (the page that will publish the fact check); ``author`` and
``itemReviewed`` are recommended. The rating maps verdict and confidence onto a 1-5 scale:

| verdict | confidence | ratingValue | alternateName |
|---|---|---:|---|
| contradict | ≥ 0.8 | 1 | False |
| contradict | < 0.8 | 2 | Mostly false |
| neutral | any | 3 | Unproven |
| support | < 0.8 | 4 | Mostly true |
| support | ≥ 0.8 | 5 | True |

The draft is the service's verdict, not an editor's: it is for a person to review before it is published.
"""

from __future__ import annotations

from typing import Any

from factcheck.records import StoredCheck

CONFIDENT = 0.8
RATINGS = {
    ("contradict", True): (1, "False"),
    ("contradict", False): (2, "Mostly false"),
    ("neutral", True): (3, "Unproven"),
    ("neutral", False): (3, "Unproven"),
    ("support", False): (4, "Mostly true"),
    ("support", True): (5, "True"),
}


def rating(verdict: str, confidence: float) -> dict[str, Any]:
    value, name = RATINGS[(verdict, confidence >= CONFIDENT)]
    return {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1, "alternateName": name}


def claim_review(check: StoredCheck, publisher_name: str, publisher_url: str, url: str | None) -> dict[str, Any]:
    """The JSON-LD ClaimReview of ``check``; ``url``: the page that will publish it (default: the
    publisher's site)."""
    evidence = check.result.get("evidence", [])
    cited = {e["article_id"]: e for e in evidence if e["label"] in ("support", "contradict")}
    claim: dict[str, Any] = {"@type": "Claim", "text": check.claim}
    appearance = [e["url"] for e in evidence if e["text"].strip() == check.claim.strip() and e.get("url")]
    if appearance:
        claim["appearance"] = [{"@type": "CreativeWork", "url": u} for u in appearance]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url or publisher_url,
        "claimReviewed": check.claim,
        "datePublished": check.created_at[:10],
        "reviewRating": rating(check.verdict, check.confidence),
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": publisher_name, "url": publisher_url},
        "citation": [_citation(e) for e in cited.values()],
    }
    return review


def _citation(evidence: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "headline": evidence["title"], "identifier": evidence["article_id"]}
    for key, value in (("url", evidence.get("url")), ("datePublished", evidence.get("published_at"))):
        if value:
            work[key] = value
    if evidence.get("source"):
        work["publisher"] = {"@type": "Organization", "name": evidence["source"]}
    return work
