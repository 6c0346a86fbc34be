"""Summarise a stored check read from standard input (GET /v1/checks/{id}): used by docs/demo.sh."""

import json
import sys

check = json.load(sys.stdin)
summary = {
    "id": check["id"],
    "claim": check["claim"],
    "verdict": check["verdict"],
    "confidence": check["confidence"],
    "stale": check["stale"],
    "first_citation": check["result"]["evidence"][0]["text"],
    "history": [
        {"verdict": h["result"]["verdict"], "confidence": h["result"]["confidence"], "why": h["why"]}
        for h in check["history"]
    ],
}
print(json.dumps(summary, indent=4, ensure_ascii=False))
