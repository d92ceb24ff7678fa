#!/usr/bin/env bash
# Context switches per request of an application's threads, grouped by thread name (numbers
# folded: fastcgi-17 and fastcgi-3 count as fastcgi-N), voluntary (the thread went to sleep: a
# lock, a queue, a read) and involuntary (preempted), from /proc/PID/task/*/status before and
# after one wrk run: which threads sleep and wake per request, and how often.
#
#   benchmarks/tools/context-switches.sh APP_PID URL [CONNECTIONS] [SECONDS]
#   e.g. benchmarks/tools/context-switches.sh 4242 http://127.0.0.1:18082/json 64 8
#
# Run it against any running setup, warmed up first; threads born or ended during the run count
# from zero or are left out.
set -euo pipefail
pid=$1
url=$2
connections=${3:-64}
seconds=${4:-8}

snapshot() {
  for task in /proc/"$pid"/task/*; do
    name=$(tr ' ' '_' < "$task/comm" 2>/dev/null) || continue
    awk -v tid="${task##*/}" -v name="$name" '
      /^voluntary_ctxt_switches/ { v = $2 }
      /^nonvoluntary_ctxt_switches/ { n = $2 }
      END { print tid, name, v, n }' "$task/status" 2>/dev/null || true
  done
}

before=$(mktemp)
after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
snapshot > "$before"
wrk_out=$(wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" "$url")
snapshot > "$after"
rps=$(awk '/^Requests\/sec/ { print $2 }' <<< "$wrk_out")

awk -v rps="$rps" -v seconds="$seconds" -v url="$url" -v c="$connections" '
  FNR == NR { v0[$1] = $3; n0[$1] = $4; next }
  {
    name = $2; sub(/-[0-9]+$/, "-N", name)
    voluntary[name] += $3 - v0[$1]; involuntary[name] += $4 - n0[$1]
    all_v += $3 - v0[$1]; all_n += $4 - n0[$1]
  }
  END {
    requests = rps * seconds
    printf "%s c=%s: %s req/s; context switches per request (voluntary + involuntary)\n", url, c, rps
    for (name in voluntary) {
      if ((voluntary[name] + involuntary[name]) / requests >= 0.005) {
        printf "  %-20s %.3f + %.3f\n", name, voluntary[name] / requests, involuntary[name] / requests
      }
    }
    printf "  %-20s %.3f + %.3f\n", "all threads", all_v / requests, all_n / requests
  }' "$before" "$after"
