# Independent views of the hardware state, read straight from sysfs and nvme-cli (busybox sh;
# sourced). The checks of the agent's results use only these, never the agent's own report.

# find_pf: the first NVMe PF (class 0x010802) with SR-IOV; sets PF (BDF), PFD (sysfs dir), CTRL (/dev/nvmeN).
find_pf() {
  PF=""; PFD=""; CTRL=""
  for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/class")" = "0x010802" ] && [ -e "$d/sriov_totalvfs" ] || continue
    PFD=$d; PF=$(basename "$d"); break
  done
  [ -n "$PF" ] || return 1
  CTRL=/dev/$(ls "$PFD/nvme" | head -1)
}

numvfs() { cat "$PFD/sriov_numvfs"; }
autoprobe() { cat "$PFD/sriov_drivers_autoprobe"; }
vf_of() { basename "$(readlink "$PFD/virtfn$1")"; }            # VF index -> BDF
driver_of() { local d; d=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && basename "$d" || echo none; }
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }

# secondary_table: "SCID VFN SCS NVQ NVI" per line, decimal, from nvme-cli's plain list-secondary.
secondary_table() {
  nvme list-secondary "$CTRL" 2>/dev/null | awk '
    /SCID/ { scid = strtonum_hex($NF) }
    /SCS/  { scs = strtonum_hex($(NF-1)) }
    /VFN/  { vfn = strtonum_hex($NF) }
    /NVQ/  { nvq = strtonum_hex($NF) }
    /NVI/  { nvi = strtonum_hex($NF); print scid, vfn, scs, nvq, nvi }
    function strtonum_hex(s,  i, c, v) { sub(/^0x/, "", s); v = 0
      for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", tolower(substr(s, i, 1))) - 1; v = v * 16 + c }
      return v }'
}

# expected_vf_bdf K: the VF address the kernel must give VF index K (iov.c virtfn_bus/virtfn_devfn:
# routing ID = PF devfn + offset + stride*K; the bus carries over).
expected_vf_bdf() {
  local dom rest bus dev fn devfn
  dom=${PF%%:*}; rest=${PF#*:}; bus=$((0x${rest%%:*})); rest=${rest#*:}
  dev=$((0x${rest%%.*})); fn=${rest#*.}
  devfn=$((dev * 8 + fn + $(cat "$PFD/sriov_offset") + $(cat "$PFD/sriov_stride") * $1))
  printf '%s:%02x:%02x.%x' "$dom" $((bus + (devfn >> 8))) $(((devfn & 255) >> 3)) $((devfn & 7))
}

# snapshot: one canonical text of everything prepare/release may change, for before/after equality.
snapshot() {
  local l vf
  echo "autoprobe=$(autoprobe) numvfs=$(numvfs)"
  for l in "$PFD"/virtfn*; do
    [ -e "$l" ] || continue
    vf=$(basename "$(readlink "$l")")
    echo "$(basename "$l")=$vf driver=$(driver_of "$vf") override=$(cat "/sys/bus/pci/devices/$vf/driver_override")"
  done
  secondary_table | sed 's/^/secondary /'
}

# sysfs_facts: the PF's SR-IOV facts as key=value lines (for the host-side cross-check).
sysfs_facts() {
  local a k=0 l vf
  echo "pf=$PF"
  echo "ctrl=$CTRL"
  for a in vendor device class sriov_totalvfs sriov_numvfs sriov_offset sriov_stride sriov_vf_device sriov_drivers_autoprobe; do
    echo "$a=$(cat "$PFD/$a")"
  done
  echo "driver=$(driver_of "$PF")"
  echo "iommu_group=$(group_of "$PF")"
  for l in "$PFD"/virtfn*; do
    [ -e "$l" ] || continue
    vf=$(vf_of $k)
    echo "vf.$k=$vf driver=$(driver_of "$vf") iommu_group=$(group_of "$vf")"
    k=$((k + 1))
  done
}

# same_as SNAP: "same" when the hardware state equals SNAP, else "changed: <diff>".
same_as() {
  local d
  snapshot >/tmp/now.snap
  if cmp -s "$1" /tmp/now.snap; then echo same; else echo "changed: $(diff "$1" /tmp/now.snap | grep '^[-+][^-+]' | oneline)"; fi
}
