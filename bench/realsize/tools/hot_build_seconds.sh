#!/bin/bash
# Build seconds per candidate on realsize: hot-file tuning (AutoPassTuneScope=hot) against whole-project tuning
# (project), 4 candidates each, with the autopass program built from this repository. Prints each session's candidate
# builds (from its ledger) and the ratio of the medians. Usage: bench/realsize/tools/hot_build_seconds.sh [work dir]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=${1:-/tmp/autopass-realsize-builds}
rm -rf "$work" && mkdir -p "$work"
dotnet build "$repo/src/AutoPass.Cli" -c Release -o "$work/cli" -v q -nologo >/dev/null
for scope in hot project; do
  cat > "$work/$scope.json" <<JSON
{ "sourceDir": "$repo/bench/realsize", "outputDir": "$work/$scope/out", "intermediateDir": "$work/$scope/obj",
  "benchmarks": [ { "target": "realsize" } ],
  "settings": { "maxTrials": "4", "raceSize": "4", "search": "random", "maxMinutes": "30", "agents": "builtin",
                "tuneScope": "$scope", "generator": "Ninja", "seed": "3" } }
JSON
  dotnet "$work/cli/autopass.dll" tune --request "$work/$scope.json" > "$work/$scope.log" 2>&1 || true
done
python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
medians = {}
for scope in ("hot", "project"):
    seconds = [line["buildSeconds"] for line in map(json.loads, open(f"{work}/{scope}/obj/ledger.jsonl"))
               if line.get("type") == "trial" and line.get("buildSeconds")]
    medians[scope] = statistics.median(seconds)
    print(f"{scope:8} candidate builds (s): {' '.join(f'{s:.1f}' for s in seconds)}  median {medians[scope]:.1f}")
print(f"hot / project: {medians['hot'] / medians['project']:.3f}")
PY
