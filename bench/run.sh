#!/usr/bin/env bash
# Measures prediction throughput, latency and the server's memory on this machine.
#
#   bench/run.sh                 # after `mvn -B package -DskipTests`; needs wrk (apt-get install wrk)
#
# Starts the built jar on the embedded PostgreSQL with a fresh data directory, loads the demo iris models (logistic
# regression and the ONNX tree ensemble) with wrk
# from a second process on loopback for single records and batches of 100, and writes the results to
# bench/results/<timestamp>.txt. Run it as an ordinary user (PostgreSQL refuses root). Bounded: each load runs
# DURATION seconds (default 20) and the script stops the server when done.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/simple-model-api.jar
[ -f "$jar" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }

duration=${DURATION:-20}
threads=${THREADS:-2}
connections=${CONNECTIONS:-16}
work=$(mktemp -d)
mkdir -p bench/results
out=bench/results/$(date -u +%Y%m%dT%H%M%SZ).txt
port=18080
admin=18081

PORT=$port ADMIN_PORT=$admin DATA_DIR=$work/data AUDIT_LOG=$work/audit.log \
  java ${JAVA_OPTS:--Xmx512m} -jar "$jar" server config.yml >"$work/stdout" 2>"$work/stderr" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 120); do
  curl -sf "localhost:$admin/healthcheck" >/dev/null 2>&1 && break
  sleep 1
done
key=$(cat "$work/data/demo-api-key")

{
  echo "# $(date -u) on $(nproc) cores; java: $(java -version 2>&1 | head -1)"
  echo "# wrk -t$threads -c$connections -d${duration}s, JAVA_OPTS=${JAVA_OPTS:--Xmx512m}"
  # A short warm-up so the JIT has compiled the hot path before anything is measured.
  for model in iris-species iris-trees; do
    KEY=$key BATCH=0 wrk -t"$threads" -c"$connections" -d5s -s bench/predict.lua \
      "http://localhost:$port/v1/models/$model/predict" >/dev/null
    for batch in 0 100; do
      echo
      echo "## model=$model batch=$batch (0 = one record per request)"
      KEY=$key BATCH=$batch wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s bench/predict.lua \
        "http://localhost:$port/v1/models/$model/predict"
    done
  done
  echo
  echo "## server memory after the runs"
  grep -E 'VmRSS|VmHWM' "/proc/$server/status"
  echo "audit lines written: $(wc -l < "$work/audit.log")"
} | tee "$out"
echo "results in $out"
