#!/usr/bin/env bash
# Watch mode on a generated N-action exec project (N/2 service folders, 10 files each: 5,000
# files at N = 1,000): `grove deploy --watch` runs once, then 20 saves, one at a time, each into
# another service's source. Reports, from the events' own times: save → first `actionStatus
# processing` of the run it triggers (median and max of 20; the budget is the quiet period +
# 300 ms), the daemon's CPU while idle-watching for 10 s, and its RSS.
# Usage: bench/watch.sh [N] [QUIET_MS]   (default 1000 200)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
n="${1:-1000}"
quiet="${2:-200}"
mkdir -p "$out"
export GROVE_HOME="$out/grove-home"
"$here/grove" --version >/dev/null
project="$out/watch-$n"
rm -rf "$project"
java "$here/bench/GenerateExecProject.java" watch "$n" "$project" >/dev/null
events="$out/watch-$n.jsonl"
env --default-signal=INT "$here/grove" deploy --watch --quiet-period "${quiet}ms" --root "$project" --output jsonl \
  >"$events" 2>/dev/null &
cli=$!
trap 'kill -INT $cli 2>/dev/null || true; wait $cli 2>/dev/null || true; "$here/grove" daemon stop >/dev/null 2>&1 || true' EXIT
python3 - "$project" "$events" "$n" "$quiet" "$GROVE_HOME/daemon.json" <<'PY'
import json, os, statistics, sys, time
project, events_file, n, quiet, info = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def events():
    with open(events_file) as f:
        for line in f:
            if line.startswith("{") and line.endswith("\n"):  # a line being written waits
                yield json.loads(line)

def wait_for(pred, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for e in events():
            if pred(e):
                return e
        time.sleep(0.01)
    sys.exit("timed out; see " + events_file)

first = wait_for(lambda e: e.get("type") == "runFinished")
watch = first["runId"].rsplit(".", 1)[0]
print(f"first run of {n} actions: {first['time'] - wait_for(lambda e: e.get('type') == 'runStarted')['time']} ms")
time.sleep(0.5)
delays = []
for k in range(20):
    run = f"{watch}.{k + 2}"
    path = os.path.join(project, f"svc-{k}", "src", "f0.txt")
    saved = time.time() * 1000
    with open(path, "w") as f:
        f.write(f"edit {k} at {saved}\n")
    started = wait_for(lambda e: e.get("runId") == run and e.get("type") == "actionStatus"
                       and e.get("payload", {}).get("state") == "processing")
    delays.append(started["time"] - saved)
    wait_for(lambda e: e.get("runId") == run and e.get("type") == "runFinished")
    time.sleep(0.3)
delays.sort()
print(f"save -> processing: median {statistics.median(delays):.0f} ms, max {max(delays):.0f} ms"
      f" (quiet period {quiet} ms; overhead median {statistics.median(delays) - quiet:.0f} ms)")
pid = json.load(open(info))["pid"]
def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
tick = os.sysconf("SC_CLK_TCK")
before = cpu(); time.sleep(10); after = cpu()
print(f"idle watching: {100.0 * (after - before) / tick / 10:.2f} % of a core over 10 s")
rss = int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
files = sum(len(fs) for _, _, fs in os.walk(project))
print(f"daemon RSS {rss} MiB, watching {files} files")
PY
