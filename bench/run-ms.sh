# Sourced by the bench scripts (they set $here): run_ms ARGS... runs `grove ARGS... --output jsonl`
# and prints the run's duration from its own events: runFinished.time - runStarted.time (ms).
run_ms() {
  "$here/grove" "$@" --output jsonl | python3 -c '
import json, sys
start = end = None
for line in sys.stdin:
    event = json.loads(line)
    if event.get("type") == "runStarted": start = event["time"]
    if event.get("type") == "runFinished": end = event["time"]
print(end - start)'
}
