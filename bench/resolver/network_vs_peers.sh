#!/usr/bin/env bash
# rootsim, NSD and Knot DNS serving the same zone on 127.0.0.1, side by side in one run, loaded
# by dnsperf with the same query file (rootsim's root-like mix). Each server is pinned to CPU 0
# (Knot pins its UDP worker there by itself) and dnsperf to CPU 1. For each server and load
# (a fixed offered rate with dnsperf -Q, and saturation) it reports the median over RUNS runs of
# queries per second answered and the server's CPU time per answered query (utime+stime from
# /proc/PID/stat, summed over the server's processes), the share lost and dnsperf's average
# latency. Runs are interleaved across servers.
# With COALESCE_US=N (N > 0) a second rootsim, "rootsim-c", runs with --udp-coalesce-us N (it
# pauses N µs between UDP receive batches under load) and is measured in the same runs.
# Usage: bench/resolver/network_vs_peers.sh   (env: RUNS=5 SECONDS_PER_RUN=8 RATE=60000
#        ZONE=../shared/data/root.zone QUERIES=100000 CLIENTS=4 COALESCE_US=0). Needs the bench
#        preset built.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
zone=${ZONE:-$here/../shared/data/root.zone}
rootsim=${ROOTSIM:-$here/build/bench/cli/rootsim}
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-8}
rate=${RATE:-60000}
nqueries=${QUERIES:-100000}
clients=${CLIENTS:-4}
coalesce_us=${COALESCE_US:-0}
[[ -f $zone ]] || { echo "no zone file $zone" >&2; exit 1; }
[[ -x $rootsim ]] || { echo "build the bench preset first ($rootsim)" >&2; exit 1; }
for tool in dnsperf taskset; do
  command -v $tool >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
have_nsd=0; command -v nsd >/dev/null && have_nsd=1
have_knot=0; command -v knotd >/dev/null && have_knot=1
clk_tck=$(getconf CLK_TCK)

scratch=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The query file: rootsim's deterministic root-like mix (half TLDs with NS/DS/A/AAAA/SOA, half
# junk), written as "name type" lines; dnsperf sends them all with EDNS and DO (-D).
"$rootsim" bench resolver --zone "$zone" --seconds 0.2 --queries "$nqueries" \
  --write-dnsperf "$scratch/queries.txt" >/dev/null

declare -A port pid
# rootsim: one worker thread
port[rootsim]=$(free_port)
taskset -c 0 "$rootsim" serve --zone "$zone" --listen 127.0.0.1:${port[rootsim]} --threads 1 \
  >"$scratch/rootsim.log" 2>&1 &
pid[rootsim]=$!; pids+=($!)
if ((coalesce_us > 0)); then
  port[rootsim-c]=$(free_port)
  taskset -c 0 "$rootsim" serve --zone "$zone" --listen 127.0.0.1:${port[rootsim-c]} --threads 1 \
    --udp-coalesce-us "$coalesce_us" >"$scratch/rootsim-c.log" 2>&1 &
  pid[rootsim-c]=$!; pids+=($!)
fi

if [[ $have_nsd == 1 ]]; then
  port[nsd]=$(free_port)
  mkdir -p "$scratch/nsd"
  cat >"$scratch/nsd/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@${port[nsd]}
  port: ${port[nsd]}
  do-ip6: no
  username: ""
  chroot: ""
  server-count: 1
  zonesdir: "$scratch/nsd"
  database: ""
  zonelistfile: "$scratch/nsd/zone.list"
  xfrdfile: "$scratch/nsd/xfrd.state"
  xfrdir: "$scratch/nsd"
  pidfile: "$scratch/nsd/nsd.pid"
  logfile: "$scratch/nsd/nsd.log"
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "."
  zonefile: "$zone"
CONF
  taskset -c 0 nsd -d -c "$scratch/nsd/nsd.conf" >"$scratch/nsd/out" 2>&1 &
  pid[nsd]=$!; pids+=($!)
fi

if [[ $have_knot == 1 ]]; then
  port[knot]=$(free_port)
  mkdir -p "$scratch/knot"
  cat >"$scratch/knot/knot.conf" <<CONF
server:
  listen: 127.0.0.1@${port[knot]}
  rundir: "$scratch/knot"
  pidfile: "$scratch/knot/knot.pid"
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
control:
  listen: "$scratch/knot/knot.sock"
database:
  storage: "$scratch/knot"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "$scratch/knot"
    semantic-checks: off
    journal-content: none
    zonefile-sync: -1
zone:
  - domain: .
    file: "$zone"
CONF
  taskset -c 0 knotd -c "$scratch/knot/knot.conf" >"$scratch/knot/out" 2>&1 &
  pid[knot]=$!; pids+=($!)
fi

servers=(rootsim)
((coalesce_us > 0)) && servers+=(rootsim-c)
[[ $have_nsd == 1 ]] && servers+=(nsd)
[[ $have_knot == 1 ]] && servers+=(knot)

# Wait until each answers the apex SOA.
for s in "${servers[@]}"; do
  for _ in $(seq 100); do
    dig @127.0.0.1 -p "${port[$s]}" . SOA +short +time=1 +tries=1 2>/dev/null | grep -q . && break
    sleep 0.2
  done
done

# The process and all its descendants (NSD's first process becomes xfrd and forks "main",
# which forks the server processes).
descendants() {
  local p
  echo "$1"
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null || true); do descendants "$p"; done
}

# utime+stime ticks of a process and all its descendants.
cpu_ticks() {
  local total=0 p
  for p in $(descendants "$1"); do
    [[ -r /proc/$p/stat ]] || continue
    total=$((total + $(awk '{sub(/^.*\) /, ""); print $12 + $13}' /proc/$p/stat)))
  done
  echo $total
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "n/a")}'; }

declare -A qps cpu lost latency
run_one() {  # server load -> appends "qps cpu_us lost% latency_us" to the arrays
  local s=$1 load=$2 args=() before after out completed sent q ticks
  [[ $load == fixed ]] && args=(-Q "$rate")
  before=$(cpu_ticks "${pid[$s]}")
  out=$(taskset -c 1 dnsperf -s 127.0.0.1 -p "${port[$s]}" -d "$scratch/queries.txt" -D \
        -l "$secs" -c "$clients" -q 500 -t 2 "${args[@]}" 2>&1)
  after=$(cpu_ticks "${pid[$s]}")
  sent=$(echo "$out" | awk '/Queries sent:/ {print $3}')
  completed=$(echo "$out" | awk '/Queries completed:/ {print $3}')
  q=$(echo "$out" | awk '/Queries per second:/ {print $4}')
  ticks=$((after - before))
  qps[$s.$load]+="$q "
  cpu[$s.$load]+="$(echo "$ticks * 1000000 / $clk_tck / $completed" | bc -l) "
  lost[$s.$load]+="$(echo "100 * ($sent - $completed) / $sent" | bc -l) "
  latency[$s.$load]+="$(echo "$out" | awk '/Average Latency/ {print $4 * 1000000}') "
}

echo "zone: $zone ($(grep -c . "$zone") lines); queries: $nqueries (rootsim mix, DO on all via -D)"
echo "runs: $runs x ${secs}s per server and load; fixed load: -Q $rate; saturation: no -Q"
((coalesce_us > 0)) && echo "rootsim-c: rootsim with --udp-coalesce-us $coalesce_us"
echo "CPU: $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'), servers on CPU 0, dnsperf on CPU 1"
for r in $(seq "$runs"); do
  for load in fixed saturation; do
    for s in "${servers[@]}"; do
      run_one "$s" "$load"
    done
  done
  echo "run $r of $runs done" >&2
done

printf '\n%-10s %-11s %12s %16s %8s %12s\n' server load "answers/s" "CPU us/answer" "lost %" \
  "latency us"
for load in fixed saturation; do
  for s in "${servers[@]}"; do
    printf '%-10s %-11s %12.0f %16.2f %8.2f %12.0f\n' "$s" "$load" \
      "$(echo ${qps[$s.$load]} | tr ' ' '\n' | median)" \
      "$(echo ${cpu[$s.$load]} | tr ' ' '\n' | median)" \
      "$(echo ${lost[$s.$load]} | tr ' ' '\n' | median)" \
      "$(echo ${latency[$s.$load]} | tr ' ' '\n' | median)"
  done
done
echo
echo "each value is the median of $runs runs; the runs of every server are interleaved"
for s in "${servers[@]}"; do
  echo "$s qps (saturation): ${qps[$s.saturation]}"
done
