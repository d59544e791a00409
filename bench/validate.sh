#!/usr/bin/env bash
# Measures `grove validate` on generated N-action projects: daemon cold (start included) and
# warm (median of 10), plus the daemon's RSS with that project loaded.
# Usage: bench/validate.sh [N ...]   (default: 100 1000 5000)
#        VARIANT=templated bench/validate.sh [N ...]   the same actions rendered from a ConfigTemplate
#        VARIANT=modules bench/validate.sh [N ...]     the same shape as N/2 Garden 0.12 Modules
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100 1000 5000)

"$here/grove" --version >/dev/null          # builds the jars if needed
"$here/grove" daemon stop >/dev/null 2>&1 || true

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The JVM's own start on this machine right now, to compare figures taken on different days.
base=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N); java -Xshare:auto -version >/dev/null 2>&1; base+=("$(ms "$start")")
done
echo "baseline: java -version takes $(printf '%s\n' "${base[@]}" | median) ms"
printf '%-8s %-10s %-10s %-10s\n' actions cold_ms warm_ms rss_mib
for n in "${sizes[@]}"; do
  if [[ "${VARIANT:-}" == templated ]]; then
    project="$out/p$n-templated"; variant=templated
  elif [[ "${VARIANT:-}" == modules ]]; then
    project="$out/p$n-modules"
  else
    project="$out/p$n"; variant=
  fi
  if [[ ! -f "$project/project.garden.yml" ]]; then
    if [[ "${VARIANT:-}" == modules ]]; then
      java "$here/bench/GenerateModuleProject.java" "$((n / 2))" "$project" >/dev/null
    else
      java "$here/bench/GenerateProject.java" "$n" "$project" $variant >/dev/null
    fi
  fi
  cold=()
  for _ in 1 2 3; do
    "$here/grove" daemon stop >/dev/null 2>&1 || true
    start=$(date +%s%N)
    "$here/grove" validate --root "$project" >/dev/null 2>&1
    cold+=("$(ms "$start")")
  done
  warm=()
  for _ in $(seq 10); do
    start=$(date +%s%N)
    "$here/grove" validate --root "$project" >/dev/null 2>&1
    warm+=("$(ms "$start")")
  done
  pid=$(sed -E 's/.*"pid":([0-9]+).*/\1/' "$GROVE_HOME/daemon.json")
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  printf '%-8s %-10s %-10s %-10s\n' "$n" \
    "$(printf '%s\n' "${cold[@]}" | median)" "$(printf '%s\n' "${warm[@]}" | median)" "$rss"
done
"$here/grove" daemon stop >/dev/null 2>&1 || true
