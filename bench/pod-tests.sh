#!/usr/bin/env bash
# Tests and Runs in pods on the sandbox with real containers (issue 17), each command timed N times
# (wall clock of the CLI, the daemon warm) on one sandbox with the shop deployed:
#   1. `grove test unit --force`: a container Test of the project's image (built once), its pod
#      created, run, its report copied out with tar over exec, the pod deleted, the result kept
#      in a ConfigMap;
#   2. `grove test failing --force`: a container Test whose command fails (exit code and output);
#   3. `grove test smoke --force`: kubernetes-exec into the running api pod;
#   4. `grove test unit`: the cached pass (the cluster's ConfigMap read, nothing runs).
# Usage: bench/pod-tests.sh [N]   (default 5). Needs root, containerd, runc and the CNI plugins.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-5}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home-pod-tests"
grove() { "$here/grove" "$@"; }
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
project="$out/pod-tests"
rm -rf "$project"
cp -r "$here/e2e/src/test/resources/projects/pod-tests" "$project"
grove daemon stop >/dev/null 2>&1 || true
grove sandbox down >/dev/null 2>&1 || true
grove sandbox up >/dev/null
grep -q '"runtime":"containerd"' <(grove sandbox status --output json) \
  || { echo "the sandbox runs simulated pods here: $(grove sandbox status)" >&2; exit 1; }
grove deploy --root "$here/examples/shop" >/dev/null
# the image built and the api deployed once, outside the timings
grove test unit smoke --root "$project" >/dev/null
timed() { # args... → seconds (exit code 1 allowed: a failing Test)
  local start; start=$(now)
  grove "$@" --root "$project" >/dev/null || [[ $? == 1 ]]
  since "$start"
}
printf '%-4s %18s %18s %16s %14s\n' run container_test_s failing_test_s exec_test_s cached_s
for i in $(seq "$n"); do
  a=$(timed test unit --force)
  b=$(timed test failing --force)
  c=$(timed test smoke --force)
  d=$(timed test unit)
  printf '%-4s %18s %18s %16s %14s\n' "$i" "$a" "$b" "$c" "$d"
done
grove daemon stop >/dev/null
grove sandbox down >/dev/null
