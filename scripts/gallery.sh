#!/usr/bin/env bash
# gallery.sh: reruns the shipped experiments used by the README's gallery
# and copies their figures into docs/figures/ (about 15 minutes on 2 cores).
#   scripts/gallery.sh [OUT]     (OUT defaults to out/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
go build -o "$out/simulate" ./cmd/simulate
run() { "$out/simulate" -quiet -config "experiments/$1.toml" -out "$out/$1" > /dev/null; }
"$out/simulate" -quiet -out "$out/baseline" > /dev/null
for e in izawa2019 forgetting-rules pfc-gating; do run "$e"; done
copy() { cp "$out/$1/figures/$2.png" "docs/figures/$1-$2.png"; }
for f in hypnogram activity dream-gallery stage-architecture; do copy baseline "$f"; done
copy izawa2019 memory-survival
copy izawa2019 ablation-effects
copy forgetting-rules memory-survival
copy pfc-gating dose-response
copy pfc-gating latent-map
echo "gallery.sh: figures copied to docs/figures/"
