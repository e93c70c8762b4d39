#!/usr/bin/env bash
# Installs, with apt, every Debian package that rootsim's build, tests and benchmarks need.
# Idempotent: when everything is present it only checks (a second or two) and changes nothing.
# Daemons that the packages ship are stopped and disabled: tests start their own on 127.0.0.1.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git ca-certificates
  # libraries
  libldns-dev libknot-dev libboost-program-options-dev libsqlite3-dev nlohmann-json3-dev
  libssl-dev libidn2-dev libicu-dev libxml2-dev libbenchmark-dev libgtest-dev libgmock-dev
  # data the built-in baseline and the IDN/actor code read
  iso-codes publicsuffix dns-root-data unicode-cldr-core
  # reference tools for interop tests and benchmarks
  ldnsutils knot-dnsutils knot-dnssecutils bind9-dnsutils bind9-utils nsd knot dnsperf unbound
  sqlite3 openssl procps bc
  # fuzzing (clang + libFuzzer runtime)
  clang libclang-rt-14-dev
  # the HTML report: Chart.js embedded into report.html; chromium for the browser test
  libjs-chart.js chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
# Keep apt from starting the daemons it installs (nsd, knot, unbound): policy-rc.d exit 101.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  made_policy=1
fi
cleanup() { if [ "$made_policy" -eq 1 ]; then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# Should a daemon have been started anyway (a system with systemd running), stop and disable it.
for svc in nsd knot unbound named bind9; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    "${sudo[@]}" systemctl stop "$svc" || true
    "${sudo[@]}" systemctl disable "$svc" || true
  fi
done
# Without systemd: stop only a package's own daemon (its default configuration under /etc),
# never one that a test (ours or anyone's) started with its own configuration.
for daemon in nsd knotd unbound named; do
  for pid in $(pgrep -x "$daemon" 2>/dev/null || true); do
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    if [[ "$cmd" != *" -c "* || "$cmd" == *" -c /etc/"* ]]; then
      "${sudo[@]}" kill "$pid" 2>/dev/null || true
    fi
  done
done
echo "install-deps: done"
