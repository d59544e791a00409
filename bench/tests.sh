#!/usr/bin/env bash
# `grove test` on N exec Tests (each runs `true`, a real process): the run's duration from its
# own events, with every Test run (--force) and with every Test ready (same versions passed, kept
# in .grove/results: nothing runs, so the run is the solver's and the result cache's overhead).
# Usage: bench/tests.sh [N]   (default 200)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-200}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home"
"$here/grove" --version >/dev/null
project="$out/exec-tests-$n"
[[ -f "$project/project.garden.yml" ]] || java "$here/bench/GenerateExecProject.java" tests "$n" "$project" >/dev/null

source "$here/bench/run-ms.sh"

"$here/grove" validate --root "$project" >/dev/null # load it once: measure the runs only
printf '%-34s %8s %8s %8s\n' "grove test, $n exec Tests" run1_ms run2_ms run3_ms
row() {
  local label=$1; shift
  local a b c
  a=$(run_ms "$@"); b=$(run_ms "$@"); c=$(run_ms "$@")
  printf '%-34s %8s %8s %8s\n' "$label" "$a" "$b" "$c"
}
row "all run (--force)" test --root "$project" --force
row "all ready (passed before)" test --root "$project"
