#!/bin/sh
# Guest test driver: runs each phase in order; every result is a marker line (see markers.sh).
. /e2e/markers.sh
. /e2e/sriov.sh
. /e2e/baseline.sh
. /e2e/verify.sh

if ! find_pf; then
  fail guest.pf "no NVMe PF with sriov_totalvfs under /sys/bus/pci/devices"
  exit 0
fi
pass guest.pf "PF $PF ctrl $CTRL totalvfs $(cat "$PFD/sriov_totalvfs") iommu_group $(group_of "$PF")"

. /e2e/phase-baseline.sh
[ -f /e2e/phase-agent.sh ] && . /e2e/phase-agent.sh
[ -f /e2e/phase-bench.sh ] && . /e2e/phase-bench.sh
echo "E2E-DONE"
