#!/usr/bin/env bash
# Helm in the daemon (issue 15):
#   1. a project without helm actions: the daemon's cold/warm validate and RSS (bench/validate.sh
#      1000) in this checkout and, with BEFORE=DIR, in another checkout (e.g. a worktree of the
#      commit before helm-java came in): the daemon creates its HelmProcess but starts nothing;
#   2. the cost of Helm itself (bench/HelmCalls.java on the daemon's classpath): the first call
#      with a fresh Grove home (it extracts the 98 MB native library once), the first call of a
#      later worker (library cached), warm calls, and the worker's RSS.
# Usage: bench/helm.sh            BEFORE=bench/out/before-helm bench/helm.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"

echo "== a project without helm: this checkout"
"$here/bench/validate.sh" 1000
if [[ -n "${BEFORE:-}" ]]; then
  echo "== a project without helm: $BEFORE"
  (cd "$BEFORE" && bench/validate.sh 1000)
fi

"$here/grove" --version >/dev/null   # builds the jars if needed
cp="$here/orchestrator/target/grove-orchestrator-0.1.0-SNAPSHOT.jar:$here/orchestrator/target/lib/*"
chart="$here/actions/src/test/resources/helm/charts/web"
home="$out/helm-home-bench"
rm -rf "$home"
echo "== Helm calls (helm template of a local chart)"
java -XX:+UseSerialGC -cp "$cp" "$here/bench/HelmCalls.java" "$home" "$chart" 10
java -XX:+UseSerialGC -cp "$cp" "$here/bench/HelmCalls.java" "$home" "$chart" 10
echo "library cache: $(du -sh "$home/lib" | cut -f1); temp copies left in /tmp by these runs:" \
  "$(find /tmp -maxdepth 1 -name 'helm-java*' -newer "$home" 2>/dev/null | wc -l)"
