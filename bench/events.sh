#!/usr/bin/env bash
# Events throughput: C websocket clients on loopback receiving N events each.
# Usage: bench/events.sh [N=500000] [C=10]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o install -DskipTests -pl api,e2e/sandbox,actions  # actions tests use the simulation
mvn -B -q -o -pl orchestrator test-compile
cp_file=orchestrator/target/events-bench.classpath
mvn -B -q -o -pl orchestrator dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$cp_file"
exec java -Xmx512m -cp "orchestrator/target/test-classes:orchestrator/target/classes:$(cat "$cp_file")" \
  dev.grove.orchestrator.events.EventsThroughput "$@"
