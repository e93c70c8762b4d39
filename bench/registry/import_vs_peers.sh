#!/usr/bin/env bash
# Parses the real root zone with rootsim and the field's zone tools, side by side in one run,
# and times `rootsim init --from-zone` end to end. Prints median wall and CPU (user+sys) seconds
# of N runs; on a shared machine compare the CPU column.
# usage: bench/registry/import_vs_peers.sh [ROOTSIM_BINARY] [ZONE] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
rootsim=${1:-$here/build/bench/cli/rootsim}
zone=${2:-$here/../shared/data/root.zone}
runs=${3:-9}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_it() {  # label, command...: median wall and median CPU (user+sys) seconds
  local label=$1; shift
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    printf '%-36s %s\n' "$label" "(not installed)"; return
  fi
  local walls=() cpus=()
  for _ in $(seq "$runs"); do
    rm -f "$scratch"/reg.db*
    local out
    out=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) ||
      { printf '%-36s %s\n' "$label" "(failed: $*)"; return; }
    read -r wall user sys <<<"$out"
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
  done
  printf '%-36s wall %7.3f s   cpu %7.3f s\n' "$label" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
}

echo "zone: $zone ($(wc -c <"$zone") bytes), median of $runs runs, $(nproc) cores"
time_it "kzonecheck -d off" kzonecheck -d off -o . "$zone"
time_it "nsd-checkzone" nsd-checkzone . "$zone"
time_it "named-checkzone -i local" named-checkzone -i local . "$zone"
time_it "ldns-read-zone" ldns-read-zone "$zone"
time_it "rootsim zone check (parse+import)" "$rootsim" zone check "$zone"
time_it "rootsim init --from-zone (all)" "$rootsim" --db "$scratch/reg.db" init --from-zone "$zone"
