#!/usr/bin/env bash
# Heap bytes a JVM allocates per request over one wrk run, all its threads together: what drives
# its young collections and how far G1 grows the heap, so what the RSS ratio comes from. Read from
# JFR's jdk.ThreadAllocationStatistics (each thread's running total, sampled every second),
# last sample minus first per thread; threads started during the run count from their first
# sample, so the figure errs low by at most a second of a new thread's allocation.
#
#   benchmarks/tools/alloc-per-request.sh APP_PID URL [CONNECTIONS] [SECONDS] [WRK_SCRIPT]
#   e.g. benchmarks/tools/alloc-per-request.sh 4242 http://127.0.0.1:18082/json 64 6
#
# Needs the JDK the application runs on (jcmd, jfr; found from /proc/APP_PID/exe) and python3.
# Run it against any running setup; warm the application up first.
set -euo pipefail
pid=$1
url=$2
connections=${3:-64}
seconds=${4:-6}
script=${5:-}
jdk=$(dirname "$(dirname "$(readlink -f "/proc/$pid/exe")")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/allocation.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
</configuration>
JFC
threads=2
[ "$connections" -lt 2 ] && threads=1
wrk_args=(-t"$threads" -c"$connections" -d"${seconds}s")
[ -n "$script" ] && wrk_args+=(-s "$script")

"$jdk/bin/jcmd" "$pid" JFR.start name=allocation settings="$work/allocation.jfc" >/dev/null
sleep 1.5
out=$(wrk "${wrk_args[@]}" "$url")
sleep 1.5
"$jdk/bin/jcmd" "$pid" JFR.stop name=allocation filename="$work/allocation.jfr" >/dev/null
requests=$(awk '/requests in/ {print $1}' <<<"$out")
rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
"$jdk/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$work/allocation.jfr" \
  | python3 -c '
import json, sys
first, last = {}, {}
for event in json.load(sys.stdin)["recording"]["events"]:
    values = event["values"]
    thread = values["thread"]["javaThreadId"]
    allocated = values["allocated"]
    first[thread] = min(first.get(thread, allocated), allocated)
    last[thread] = max(last.get(thread, allocated), allocated)
total = sum(last[t] - first[t] for t in last)
print("%s c=%s: %s req/s, %.0f bytes allocated per request" % (sys.argv[1], sys.argv[2], sys.argv[3], total / int(sys.argv[4])))
' "$url" "$connections" "$rate" "$requests"
