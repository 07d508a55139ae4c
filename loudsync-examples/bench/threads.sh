#!/usr/bin/env bash
# Where a process spends its CPU, thread by thread, over an interval: CPU time (user + system),
# voluntary context switches (a thread that went to sleep and was woken again: its wake-ups) and
# involuntary ones, summed over threads of the same name (digits stripped, so that the event loops
# or GC workers make one row). Linux only (/proc).
#
#   loudsync-examples/bench/threads.sh PID [SECONDS]     (default 30)
set -euo pipefail
pid=$1
seconds=${2:-30}
hz=$(getconf CLK_TCK)

snapshot() {
  for task in /proc/"$pid"/task/*; do
    local name stat ticks vol invol
    name=$(tr -d '\n' < "$task/comm" 2>/dev/null) || continue
    stat=$(cat "$task/stat" 2>/dev/null) || continue
    # Fields after the ") " that ends the name: utime and stime are the 12th and 13th.
    ticks=$(awk '{print $12 + $13}' <<< "${stat##*) }")
    vol=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status" 2>/dev/null) || continue
    invol=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "$task/status" 2>/dev/null) || continue
    echo "${task##*/} $ticks $vol $invol $name"
  done
}

before=$(snapshot)
sleep "$seconds"
after=$(snapshot)

echo "threads of $pid over $seconds s: CPU ms, wake-ups (voluntary switches) per second, involuntary per second"
join -j 1 <(sort -k1,1 <<< "$before") <(sort -k1,1 <<< "$after") | awk -v hz="$hz" -v s="$seconds" '
  {
    # tid ticks0 vol0 invol0 name... ticks1 vol1 invol1 name...
    n = (NF - 1) / 2
    name = ""; for (i = 5; i <= 1 + n; i++) name = name (i > 5 ? " " : "") $i
    gsub(/[0-9]+/, "N", name)
    cpu[name] += ($(2 + n) - $2) * 1000 / hz
    vol[name] += $(3 + n) - $3
    invol[name] += $(4 + n) - $4
    count[name]++
  }
  END {
    for (k in cpu) if (cpu[k] > 0 || vol[k] > 0) {
      printf "%-28s x%-3d %8.0f ms  %8.1f %8.1f\n", k, count[k], cpu[k], vol[k] / s, invol[k] / s
      total += cpu[k]; tv += vol[k]
    }
    printf "%-28s      %8.0f ms  %8.1f   (%.2f %% of a core)\n", "total", total, tv / s, total / (s * 10)
  }' | sort -k3 -n -r
