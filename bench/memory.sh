#!/usr/bin/env bash
# The daemon's memory (budget: ≤ 250 MiB RSS with the 1,000-action project loaded): its RSS
#   1. with the 1,000-action project loaded (bench/GenerateProject.java, as bench/validate.sh);
#   2. right after a 1,000-action run (Garden's exec shape: 500 echo Builds, 500 Deploys) and
#      once the daemon's housekeeping had its turn (every 20 s: idle projects go, and a full
#      collection gives grown heap back when nothing runs);
#   3. after loading K more 1,000-action projects (each a copy in another folder), and after
#      housekeeping: loaded projects stay within the memory budget (least recently used go).
# Usage: bench/memory.sh [K]   (default 20)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
k="${1:-20}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home-memory"
grove() { "$here/grove" "$@"; }
grove --version >/dev/null
grove daemon stop >/dev/null 2>&1 || true

project="$out/p1000"
[[ -f "$project/project.garden.yml" ]] || java "$here/bench/GenerateProject.java" 1000 "$project" >/dev/null
exec_project="$out/exec-garden-1000"
[[ -f "$exec_project/project.garden.yml" ]] || java "$here/bench/GenerateExecProject.java" garden 1000 "$exec_project" >/dev/null

pid() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$GROVE_HOME/daemon.json"; }
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$(pid)/status"; }
loaded() { grove daemon status 2>/dev/null | grep -oE '[0-9]+ project' | grep -oE '[0-9]+' || echo "?"; }
settle() { sleep 45; }  # two housekeeping periods

printf '%-52s %8s %8s\n' step rss_mib loaded
grove validate --root "$project" >/dev/null
printf '%-52s %8s %8s\n' "1,000-action project loaded" "$(rss)" "$(loaded)"
grove build --root "$exec_project" --force --output json >/dev/null
printf '%-52s %8s %8s\n' "right after a 1,000-action run" "$(rss)" "$(loaded)"
settle
printf '%-52s %8s %8s\n' "after housekeeping" "$(rss)" "$(loaded)"
for i in $(seq "$k"); do
  copy="$out/p1000-copy$i"
  [[ -d "$copy" ]] || cp -r "$project" "$copy"
  grove validate --root "$copy" >/dev/null
done
printf '%-52s %8s %8s\n' "after loading $k more 1,000-action projects" "$(rss)" "$(loaded)"
settle
printf '%-52s %8s %8s\n' "after housekeeping" "$(rss)" "$(loaded)"
grove daemon stop >/dev/null
