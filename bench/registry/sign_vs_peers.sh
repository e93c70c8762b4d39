#!/usr/bin/env bash
# Times full signing of the unsigned real root zone by rootsim and by the reference signers, same
# algorithm and key size, median of 5, and the bound set by raw signing speed on two cores.
# Usage: bench/registry/sign_vs_peers.sh [rsa|ecdsa] (default: both). Needs the bench preset built
# (or ROOTSIM_BENCH_REGISTRY=path to another Release build of rootsim_bench_registry).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
zone=${ROOTSIM_ROOT_ZONE:-$here/../shared/data/root.zone}
bench=${ROOTSIM_BENCH_REGISTRY:-$here/build/bench/bench/rootsim_bench_registry}
runs=5
[[ -f $zone ]] || { echo "no $zone" >&2; exit 1; }
[[ -x $bench ]] || { echo "build the bench preset first" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
awk '$4 != "RRSIG" && $4 != "NSEC" && $4 != "DNSKEY" && $4 != "ZONEMD"' "$zone" > unsigned.zone

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# seconds for one run of "$@" (wall clock)
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || return 1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
med_of() {
  local i out
  out=$(for i in $(seq $runs); do timed "$@" || { echo fail; return; }; done | median)
  [[ $out == fail ]] && echo fail || printf %.3f "$out"
}

row() { printf '%-34s %10s\n' "$1" "$2"; }

one_algorithm() {
  local name=$1 alg_num alg_ldns alg_bind bits speed_arg
  if [[ $name == rsa ]]; then
    alg_num=8 alg_ldns=RSASHA256 alg_bind=RSASHA256 bits=2048 speed_arg=rsa2048
  else
    alg_num=13 alg_ldns=ECDSAP256SHA256 alg_bind=ECDSAP256SHA256 bits=256 speed_arg=ecdsap256
  fi
  echo "== $alg_ldns ($bits bits), $(grep -c . unsigned.zone) unsigned records =="

  # rootsim: sign only (parsed records in, signed records out) and file to file (parse+sign+write)
  local json sign_ms file_ms sigs
  json=$("$bench" --benchmark_filter="BM_ZoneSigner_(FullSign|FileToFile|IncrementalDsChange|IncrementalDsChangeNamed)/$alg_num/" \
      --benchmark_repetitions=$runs --benchmark_report_aggregates_only=true --benchmark_format=json)
  sign_ms=$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print([b["real_time"] for b in d["benchmarks"] if b["name"].startswith("BM_ZoneSigner_FullSign") and b["aggregate_name"]=="median"][0])')
  file_ms=$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print([b["real_time"] for b in d["benchmarks"] if b["name"].startswith("BM_ZoneSigner_FileToFile") and b["aggregate_name"]=="median"][0])')
  sigs=$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(int([b["signatures"] for b in d["benchmarks"] if "signatures" in b][0]))')
  local cpu_ms inc_ms inc_named_ms inc_named_cpu
  pick() { echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin)
n, f = sys.argv[1], sys.argv[2]
print([b[f] for b in d["benchmarks"] if b["name"].split("/")[0] == n and b["aggregate_name"]=="median"][0])' "$1" "$2"; }
  cpu_ms=$(pick BM_ZoneSigner_FullSign cpu_ms)
  inc_ms=$(pick BM_ZoneSigner_IncrementalDsChange real_time)
  inc_named_ms=$(pick BM_ZoneSigner_IncrementalDsChangeNamed real_time)
  inc_named_cpu=$(pick BM_ZoneSigner_IncrementalDsChangeNamed cpu_ms)
  row "rootsim sign (2 threads)" "$(printf %.3f "$(echo "$sign_ms/1000" | bc -l)") s"
  row "rootsim sign, CPU user+sys" "$(printf %.3f "$(echo "$cpu_ms/1000" | bc -l)") s"
  row "incremental DS change, full input" "$(printf %.2f "$inc_ms") ms"
  row "incremental DS change, named" "$(printf %.2f "$inc_named_ms") ms"
  row "incremental named, CPU user+sys" "$(printf %.2f "$inc_named_cpu") ms"
  row "rootsim parse+sign+write" "$(printf %.3f "$(echo "$file_ms/1000" | bc -l)") s"

  # ldns-signzone (one thread), with ZONEMD
  if command -v ldns-signzone >/dev/null; then
    local zsk ksk
    zsk=$(ldns-keygen -a $alg_ldns -b $bits . 2>/dev/null)
    ksk=$(ldns-keygen -k -a $alg_ldns -b $bits . 2>/dev/null)
    row "ldns-signzone -z 1:1 (1 thread)" "$(med_of ldns-signzone -z 1:1 -f ldns.zone unsigned.zone "$zsk" "$ksk") s"
  fi

  # dnssec-signzone -n 2, keys found by smart signing in the scratch dir (it writes dsset-. here)
  if command -v dnssec-signzone >/dev/null; then
    mkdir -p bindkeys
    dnssec-keygen -q -K bindkeys -a $alg_bind -b $bits -n ZONE . >/dev/null 2>&1 || \
      dnssec-keygen -q -K bindkeys -a $alg_bind -n ZONE . >/dev/null
    dnssec-keygen -q -K bindkeys -f KSK -a $alg_bind -b $bits -n ZONE . >/dev/null 2>&1 || \
      dnssec-keygen -q -K bindkeys -f KSK -a $alg_bind -n ZONE . >/dev/null
    row "dnssec-signzone -n 2 (no ZONEMD)" \
        "$(med_of dnssec-signzone -n 2 -P -S -K bindkeys -o . -f bind.zone unsigned.zone) s"
  fi

  # kzonesign: a Knot config with a keystore and a signing policy, two signing threads
  if command -v kzonesign >/dev/null; then
    mkdir -p knot/keys
    cat > knot/knot.conf <<CONF
database:
  storage: $scratch/knot
keystore:
  - id: default
    backend: pem
    config: $scratch/knot/keys
policy:
  - id: p
    algorithm: $alg_ldns
    ksk-size: $bits
    zsk-size: $bits
    signing-threads: 2
    nsec3: off
template:
  - id: default
    storage: $scratch
zone:
  - domain: .
    file: $scratch/unsigned.zone
    dnssec-signing: on
    dnssec-policy: p
    zonemd-generate: zonemd-sha384
CONF
    keymgr -c knot/knot.conf . generate algorithm=$alg_ldns size=$bits ksk=yes >/dev/null 2>&1 || true
    keymgr -c knot/knot.conf . generate algorithm=$alg_ldns size=$bits >/dev/null 2>&1 || true
    local k
    k=$(med_of kzonesign -c knot/knot.conf -o "$scratch/knot-out" .)
    row "kzonesign (2 threads, ZONEMD)" "$k s"
  fi

  # the bound: signatures needed / (2 cores * signatures per second on one core)
  local per_s bound
  per_s=$(openssl speed -seconds 2 $speed_arg 2>/dev/null | awk -v a=$speed_arg '
      a=="rsa2048" && /^rsa 2048 bits/ {print $6}
      a=="ecdsap256" && /nistp256\)/ {print $(NF-1)}')
  bound=$(echo "$sigs / (2 * $per_s)" | bc -l)
  row "openssl speed, signs/s (1 core)" "$per_s"
  row "signatures in the signed zone" "$sigs"
  row "bound: sigs / (2 x signs/s)" "$(printf %.3f "$bound") s"
  row "rootsim sign / bound" "$(printf %.2f "$(echo "$sign_ms/1000/$bound" | bc -l)")"
  # What the two cores sign together (two openssl processes at once): on a VM whose two vCPUs
  # share a physical core, or where one is slower, this is less than twice the one-core rate.
  local per_s2 bound2
  per_s2=$(openssl speed -multi 2 -seconds 2 $speed_arg 2>/dev/null | awk -v a=$speed_arg '
      a=="rsa2048" && /^rsa 2048 bits/ {print $6}
      a=="ecdsap256" && /nistp256\)/ {print $(NF-1)}')
  bound2=$(echo "$sigs / $per_s2" | bc -l)
  row "openssl speed -multi 2, signs/s" "$per_s2"
  row "two-core bound: sigs / that" "$(printf %.3f "$bound2") s"
  row "rootsim sign / two-core bound" "$(printf %.2f "$(echo "$sign_ms/1000/$bound2" | bc -l)")"
  # the same in CPU: signing CPU against the signatures' own CPU (sigs / signs per second)
  row "rootsim CPU / (sigs / signs/s)" "$(printf %.2f "$(echo "$cpu_ms/1000/($sigs/$per_s)" | bc -l)")"
  echo
}

case ${1:-both} in
  rsa) one_algorithm rsa ;;
  ecdsa) one_algorithm ecdsa ;;
  *) one_algorithm rsa; one_algorithm ecdsa ;;
esac
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare within one run)"
