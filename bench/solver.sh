#!/usr/bin/env bash
# Solver overhead: 1,000 no-op exec actions in a wide graph (1,000 independent Builds, then one
# Deploy needing all) and a deep one (a chain of 1,000 Builds). No-op Builds have no command, so
# the critical path is ~0 and the run's duration is the solver's overhead. Also Garden's
# benchmark shape: N/2 exec Builds echoing and N/2 exec Deploys with version templates,
# run with `grove build` (each Build is a real process).
# Usage: bench/solver.sh [N]   (default 1000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-1000}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home"
"$here/grove" --version >/dev/null

source "$here/bench/run-ms.sh"

printf '%-14s %-8s %-14s %-10s\n' shape actions run_ms cli_wall_ms
for shape in wide deep garden; do
  project="$out/exec-$shape-$n"
  [[ -f "$project/project.garden.yml" ]] || java "$here/bench/GenerateExecProject.java" "$shape" "$n" "$project" >/dev/null
  "$here/grove" validate --root "$project" >/dev/null          # load it once: measure the run only
  command=build
  [[ $shape == wide ]] && command=deploy
  best=""
  for _ in 1 2 3; do
    start=$(date +%s%N)
    ms=$(run_ms "$command" --root "$project" --force)
    wall=$(( ($(date +%s%N) - start) / 1000000 ))
    if [[ -z "$best" || $ms -lt ${best%% *} ]]; then best="$ms $wall"; fi
  done
  printf '%-14s %-8s %-14s %-10s\n' "$shape" "$n" ${best}
done
"$here/grove" daemon stop >/dev/null 2>&1 || true   # the daemon this script started
