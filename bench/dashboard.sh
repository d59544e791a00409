#!/usr/bin/env bash
# The dashboard with the 1,000-action benchmark project (bench/GenerateProject.java): the time from
# opening `grove dashboard`'s link in headless Chromium (login redirect included) until the page
# has drawn the graph the daemon laid out (ELK), N times; the first is the daemon's first layout.
# Usage: bench/dashboard.sh [N] [ACTIONS]   (default 5, 1000). Needs chromium and chromium-driver.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-5}"
size="${2:-1000}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home-dashboard"
grove() { "$here/grove" "$@"; }
project="$out/p$size-dashboard"
[[ -f "$project/project.garden.yml" ]] || java "$here/bench/GenerateProject.java" "$size" "$project" >/dev/null
cp="$out/e2e-test.classpath"
(cd "$here" && mvn -B -q -o -pl e2e dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null)
grove daemon stop >/dev/null 2>&1 || true
grove --version >/dev/null
urls=()
for _ in $(seq "$n"); do urls+=("$(grove dashboard --no-open --root "$project")"); done
echo "run drawn_ms layout_request_ms nodes  ($size actions; run 1: a fresh daemon and browser)"
i=0
java -cp "$(cat "$cp")" "$here/bench/DashboardLoad.java" "${urls[@]}" 2>/dev/null | while read -r ms layout nodes; do
  i=$((i + 1)); printf '%-4s %8s %18s %6s\n' "$i" "$ms" "$layout" "$nodes"
done
grove daemon stop >/dev/null
