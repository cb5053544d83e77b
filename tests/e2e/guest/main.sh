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

# The baseline always runs (it records the boot state the others compare with); the others as E2E_PHASES says
# (init reads it from the kernel command line). The vm phase uses the pool the cluster phase provisioned.
. /e2e/phase-baseline.sh
for p in agent bench cluster; do
  case " $E2E_PHASES " in *" $p "*) . "/e2e/phase-$p.sh" ;; esac
done
echo "E2E-DONE"
