#!/usr/bin/env bash
# Container build + push of a 50 MiB context to a local registry (CNCF distribution with
# htpasswd auth, credentials from a docker config.json): cold, unchanged (status finds the tag:
# nothing built or pushed), and forced (rebuilt: every blob already there).
# Usage: bench/build.sh [MiB]   (default 50). Needs docker-registry and htpasswd.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mib="${1:-50}"
work="$(mktemp -d)"
export GROVE_HOME="$work/grove-home"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password="bench-$RANDOM$RANDOM"
htpasswd -Bbn grove "$password" > "$work/htpasswd"
cat > "$work/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
auth: {htpasswd: {realm: grove, path: $work/htpasswd}}
YML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
cleanup() {
  "$here/grove" daemon stop >/dev/null 2>&1 || true
  kill "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; do sleep 0.1; done

mkdir -p "$work/home/.docker" "$work/project/big/data"
auth=$(printf 'grove:%s' "$password" | base64 -w0)
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$port" "$auth" > "$work/home/.docker/config.json"
cat > "$work/project/project.garden.yml" <<YML
apiVersion: garden.io/v1
kind: Project
name: build-bench
environments: [{name: dev}]
providers:
  - name: kubernetes
    deploymentRegistry: {hostname: 127.0.0.1, port: $port, namespace: bench, insecure: true}
YML
printf 'kind: Build\ntype: container\nname: big\n' > "$work/project/big/garden.yml"
printf 'FROM scratch\nCOPY data /data\nCOPY app.txt /app.txt\nENTRYPOINT ["/data/run"]\n' > "$work/project/big/Dockerfile"
echo v1 > "$work/project/big/app.txt"
for i in $(seq "$mib"); do head -c 1048576 /dev/urandom > "$work/project/big/data/blob-$i"; done

"$here/grove" validate --root "$work/project" >/dev/null 2>&1   # daemon up, project loaded

build() {
  local start out
  start=$(date +%s%N)
  out=$(HOME="$work/home" "$here/grove" build --root "$work/project" "$@" --output jsonl)
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  local pushed
  pushed=$(printf '%s\n' "$out" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    if e.get("type") == "imagePushed":
        p = e["payload"]; print("uploaded %d, reused %d" % (p["layersUploaded"], p["layersReused"])); break
else:
    print("nothing pushed")')
  echo "$ms ms  ($pushed)"
}
echo "context: $mib MiB in $mib files + 1 small file"
echo "cold:           $(build)"
echo "unchanged:      $(build)"
echo "forced:         $(build --force)"
echo v2 > "$work/project/big/app.txt"
echo "one file edited: $(build)"
