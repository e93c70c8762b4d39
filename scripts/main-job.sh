#!/usr/bin/env bash
# The main job: build a registry from the built-in baseline, sign its zone, verify the signed zone
# and the audit log, then run the classroom comparison of governance arrangements on the built-in
# baseline (`rootsim demo`: scenarios/library/classroom-demo.json) and write its HTML report. Repeatable: a fixed --now and seed give the same
# registry and zone; only the signatures differ (RSA signing is deterministic, the keys are not).
# usage: scripts/main-job.sh [ROOTSIM_BINARY] [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rootsim=${1:-$here/build/release/cli/rootsim}
work=${2:-$here/build/main-job}
now=${ROOTSIM_NOW:-$(date +%s)}
rm -rf "$work"
mkdir -p "$work"
db="$work/baseline.db"

echo "== building the registry from the built-in baseline"
"$rootsim" --db "$db" --now "$now" init --seed 1
echo "== signing its zone (RSASHA256 2048, KSK + ZSK, NSEC, ZONEMD)"
"$rootsim" --db "$db" --now "$now" zone sign -o "$work/root.signed.zone"
"$rootsim" --db "$db" zone keys list
echo "== verifying"
if command -v ldns-verify-zone >/dev/null 2>&1; then
  ldns-verify-zone -Z "$work/root.signed.zone"
else
  echo "ldns-verify-zone not installed: skipped (scripts/install-deps.sh installs it)"
fi
"$rootsim" --db "$db" audit verify
echo "== summary"
"$rootsim" --db "$db" zone export -o "$work/root.unsigned.zone"
"$rootsim" zone check "$work/root.unsigned.zone" | sed 's/^/  /'
echo "  signed zone: $(wc -l <"$work/root.signed.zone") records in $work/root.signed.zone"
echo "  registry:    $db"
echo "== the classroom comparison of governance arrangements on the built-in baseline (rootsim demo)"
"$rootsim" demo --out "$work/demo"
