# The practical floor for prepare-source: the same sysfs writes and nvme-cli commands the agent's
# prepare-source performs, as a plain script with no checks beyond what the writes themselves report
# (busybox sh; sourced after sriov.sh). Used as the benchmark baseline and to prove the harness on
# the real kernel independently of the agent.

# baseline_prepare N Q I: N VFs, Q flexible VQs and I flexible VIs per secondary, online, vfio-pci.
baseline_prepare() {
  local n=$1 q=$2 i=$3 cur k=0 scid vf
  echo 0 >"$PFD/sriov_drivers_autoprobe" || return 1
  cur=$(numvfs)
  if [ "$cur" != "$n" ]; then
    [ "$cur" != 0 ] && { echo 0 >"$PFD/sriov_numvfs" || return 1; }
    echo "$n" >"$PFD/sriov_numvfs" || return 1
  fi
  # SCID of VF index k is the secondary whose VFN is k+1 (read, not assumed).
  secondary_table >/tmp/baseline.sec
  while [ $k -lt "$n" ]; do
    scid=$(awk -v vfn=$((k + 1)) '$2 == vfn { print $1 }' /tmp/baseline.sec)
    [ -n "$scid" ] || return 1
    nvme virt-mgmt "$CTRL" -c "$scid" -r 0 -a 8 -n "$q" >/dev/null || return 1
    nvme virt-mgmt "$CTRL" -c "$scid" -r 1 -a 8 -n "$i" >/dev/null || return 1
    nvme virt-mgmt "$CTRL" -c "$scid" -r 0 -a 9 -n 0 >/dev/null || return 1
    vf=$(vf_of $k)
    echo vfio-pci >"/sys/bus/pci/devices/$vf/driver_override" || return 1
    echo "$vf" >/sys/bus/pci/drivers/vfio-pci/bind || return 1
    [ -e "/dev/vfio/$(group_of "$vf")" ] || return 1
    k=$((k + 1))
  done
}

# baseline_teardown: back to the boot state (no VFs, autoprobe on). numvfs=0 makes QEMU set every
# secondary offline with no resources (reference §6).
baseline_teardown() {
  local l vf
  for l in "$PFD"/virtfn*; do
    [ -e "$l" ] || continue
    vf=$(basename "$(readlink "$l")")
    [ "$(driver_of "$vf")" = none ] || echo "$vf" >"/sys/bus/pci/devices/$vf/driver/unbind"
    echo >"/sys/bus/pci/devices/$vf/driver_override"
  done
  echo 0 >"$PFD/sriov_numvfs" && echo 1 >"$PFD/sriov_drivers_autoprobe"
}
