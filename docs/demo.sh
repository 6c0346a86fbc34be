#!/bin/sh
# The curl session shown in the README, against a running `./dev run` (http://127.0.0.1:8000):
# index an article, check a claim against it, correct the article, and read the stored check again.
# Usage: docs/demo.sh [BASE_URL]   — prints each command and the service's answer.
set -eu
BASE="${1:-http://127.0.0.1:8000}"
show() {  # print the command (quoted as you would type it), then the pretty-printed answer
    printf '$'; for arg in "$@"; do case "$arg" in *[!A-Za-z0-9_./:=-]*) printf " '%s'" "$arg" ;; *) printf ' %s' "$arg" ;; esac; done; echo
    "$@" | tee /tmp/factcheck-demo.json | python3 -m json.tool --no-ensure-ascii
    echo
}
show curl -s -X POST "$BASE/v1/articles" -H 'Content-Type: application/json' -d '{
  "id": "wire-2016-03-15-tartus",
  "title": "Russia to keep Tartus and Hmeimim bases",
  "source": "example-wire",
  "published_at": "2016-03-15T12:00:00Z",
  "text": "Russia will keep operating its Tartus naval facility and the Hmeimim air base in Syria, the Kremlin said on Tuesday. The first aircraft left Hmeimim for Russia the same day."
}'
show curl -s -X POST "$BASE/v1/checks" -H 'Content-Type: application/json' -d '{
  "claim": "Russia will shut down its naval facility at Tartus.",
  "top_k": 2
}'
ID=$(python3 -c 'import json; print(json.load(open("/tmp/factcheck-demo.json"))["id"])')
echo "# The wire corrects its story; every stored check citing it is checked again."
show curl -s -X POST "$BASE/v1/articles" -H 'Content-Type: application/json' -d '{
  "id": "wire-2016-03-15-tartus",
  "title": "Russia to close Tartus, keep Hmeimim",
  "source": "example-wire",
  "published_at": "2016-03-15T12:00:00Z",
  "text": "Russia will shut down its Tartus naval facility and keep the Hmeimim air base in Syria, the Kremlin said on Tuesday. The first aircraft left Hmeimim for Russia the same day."
}'
sleep 5
echo "# The stored check, summarised: its verdict now, and the one it had before the correction."
printf '$ curl -s %s/v1/checks/%s | python3 docs/summary.py\n' "$BASE" "$ID"
curl -s "$BASE/v1/checks/$ID" | python3 "$(dirname "$0")/summary.py"
