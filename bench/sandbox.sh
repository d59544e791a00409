#!/usr/bin/env bash
# The sandbox with real containers (issue 16), each step timed N times on a fresh sandbox:
#   1. `grove sandbox up` (API, registry, containerd in its network namespace, the pause and
#      busybox images built and pushed);
#   2. `grove deploy` of examples/shop (2 jib builds pushed to the sandbox registry, then 2 pods
#      pulled from it and started, the backend's readiness probe passing);
#   3. pod start alone: a Deployment of busybox httpd (an image not yet on the node) created with
#      kubectl until its pod is Ready (pull from the local registry + start), then a second pod of
#      the same image (start only);
#   4. memory (RSS, MiB) with the shop running: the sandbox's JVM, containerd, the shims and
#      containers, the registry (the daemon is listed apart).
# Usage: bench/sandbox.sh [N]   (default 3). Needs root, containerd, runc and the CNI plugins.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-3}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home-sandbox"
grove() { "$here/grove" "$@"; }
grove --version >/dev/null
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
rss_of() { # pids... → total RSS in MiB
  local total=0 kb
  for p in "$@"; do
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo $((total / 1024))
}
ready_in() { # deployment name, start time → seconds from then until its pod is Ready
  local ready=""
  for _ in $(seq 1200); do
    ready=$(kubectl --kubeconfig "$GROVE_HOME/sandbox/kubeconfig" -n bench get pods -l "app=$1" \
      -o 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
    [[ $ready == True ]] && break
    sleep 0.1
  done
  [[ $ready == True ]] || { echo "the pod of $1 was not Ready within 2 minutes" >&2; exit 1; }
  since "$2"
}
pod_yaml() { # name → a Deployment of busybox httpd from the sandbox registry
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: bench}
spec:
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1}}
    spec:
      imagePullSecrets: [{name: grove-sandbox-registry}]
      containers:
        - name: httpd
          image: 127.0.0.1:5000/grove/busybox:1.35
          command: [/bin/httpd, -f, -p, "8080", -h, /etc]
          readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
EOF
}

printf '%-4s %10s %14s %16s %16s\n' run up_s shop_deploy_s pod_pull_start_s pod_start_s
for i in $(seq "$n"); do
  grove daemon stop >/dev/null 2>&1 || true
  grove sandbox down >/dev/null 2>&1 || true
  start=$(now); grove sandbox up >/dev/null; up=$(since "$start")
  grep -q '"runtime":"containerd"' <(grove sandbox status --output json) \
    || { echo "the sandbox runs simulated pods here: $(grove sandbox status)" >&2; exit 1; }
  start=$(now); grove deploy --root "$here/examples/shop" >/dev/null; shop=$(since "$start")
  k() { kubectl --kubeconfig "$GROVE_HOME/sandbox/kubeconfig" "$@"; }
  k create namespace bench >/dev/null
  k get secret grove-sandbox-registry -n default -o json \
    | python3 -c 'import json,sys; s=json.load(sys.stdin); m=s["metadata"]; s["metadata"]={"name":m["name"],"namespace":"bench"}; print(json.dumps(s))' \
    | k apply -f - >/dev/null
  # the shop's images were pulled, busybox itself was not (the shop's layers differ by name)
  start=$(now); pod_yaml first | k apply -f - >/dev/null; first=$(ready_in first "$start")
  start=$(now); pod_yaml second | k apply -f - >/dev/null; second=$(ready_in second "$start")
  printf '%-4s %10s %14s %16s %16s\n' "$i" "$up" "$shop" "$first" "$second"
done

node="$GROVE_HOME/sandbox/node"
sandbox_pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["apiPid"])' "$GROVE_HOME/sandbox/sandbox.json")
containerd_pids=$(pgrep -f "containerd --config $node/config.toml" || true)
shim_pids=$(pgrep -f "containerd-shim-runc-v2.*$node" || true)
container_pids=""
for s in $shim_pids; do container_pids="$container_pids $(pgrep -P "$s" || true)"; done
registry_pids=$(pgrep -f "docker-registry serve $GROVE_HOME" || true)
daemon_pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$GROVE_HOME/daemon.json")
echo
printf '%-44s %8s\n' "with the shop and 2 bench pods running" rss_mib
printf '%-44s %8s\n' "sandbox JVM (API, kubelet, Services, DNS)" "$(rss_of $sandbox_pid)"
printf '%-44s %8s\n' "containerd" "$(rss_of $containerd_pids)"
printf '%-44s %8s\n' "shims ($(echo $shim_pids | wc -w))" "$(rss_of $shim_pids)"
printf '%-44s %8s\n' "containers (pause + apps)" "$(rss_of $container_pids)"
printf '%-44s %8s\n' "registry" "$(rss_of $registry_pids)"
printf '%-44s %8s\n' "sandbox total" "$(rss_of $sandbox_pid $containerd_pids $shim_pids $container_pids $registry_pids)"
printf '%-44s %8s\n' "(the daemon, apart)" "$(rss_of $daemon_pid)"
grove daemon stop >/dev/null
grove sandbox down >/dev/null
