#!/usr/bin/env bash
# Times a sweep of 100 configurations x 5 seeds (500 simulations) on the
# Borg week, with the number of worker threads given as the first argument
# (default 1). Run from the checkout after `npm run build`, with the public
# traces in ../shared/traces. Writes out/bench-sweep-JOBS/ and prints the
# wall time and peak memory from /usr/bin/time. Further arguments go to the
# sweep: `--resume` continues an interrupted measurement, whose wall time is
# then the sum of the parts.
set -euo pipefail
jobs="${1:-1}"
shift || true
/usr/bin/time -f "wall %e s, peak RSS %M KiB" node dist/cli/main.js sweep scenarios/borg-week.yaml \
  --grid pool.queueDepthThreshold=1,2,4,8,16 \
  --grid pool.scaleUpCooldownMs=0,30000,60000,120000 \
  --grid pool.scaleDownCooldownMs=60000..1800000/5 \
  --seeds 5 --jobs "$jobs" --out "out/bench-sweep-$jobs" "$@"
