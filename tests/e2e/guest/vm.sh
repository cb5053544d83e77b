# Scenario 7, seed step 5 (busybox sh; sourced by phase-cluster.sh): a VM started inside the guest gets a VF
# the pool provisioned, through vfio-pci, and the VM's own kernel binds it with its nvme driver and reports
# exactly the pool's I/O queue count. While the VM boots, scenario 6 asks to migrate that very VF.
#
# THE SEAM: the VM learns which VF to use only from $ALLOCATION, in the shape of the kubelet device plugin's
# Allocate answer for the pool's resource (a ContainerAllocateResponse: the env KubeVirt reads,
# PCI_RESOURCE_<resource name> = the VF's PCI address, and the device nodes the container gets). Today
# write_allocation fills it from sysfs; once the agent's device plugin serves Allocate (issue 10), its answer
# is what goes into this file, and vm_start stays as it is.
ALLOCATION=/run/nvme-lm/allocation
VM_LOG=$LOGS/vm-serial.log

# write_allocation VF: the allocation the device plugin would answer for VF (resource nvmelm.io/migratable-vf).
write_allocation() {
  {
    echo "# ContainerAllocateResponse for nvmelm.io/migratable-vf (written by the e2e test, see vm.sh)"
    echo "env PCI_RESOURCE_NVMELM_IO_MIGRATABLE-VF=$1"
    echo "device /dev/vfio/vfio"
    echo "device /dev/vfio/$(group_of "$1")"
  } >"$ALLOCATION"
}

# vm_start VCPUS: QEMU (TCG inside TCG) with the allocated VF passed through, the guest's own cloud kernel and
# vm/init; serial console to $VM_LOG. Uses nothing but $ALLOCATION to find the device. Sets VM_PID, VM_VF.
vm_start() {
  local group dev
  VM_VF=$(sed -n 's/^env PCI_RESOURCE_[A-Z_-]*=//p' "$ALLOCATION" | cut -d, -f1)
  echo "$VM_VF" | grep -qE '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$' ||
    { fail vm.allocation "no VF address in $ALLOCATION: $(oneline <"$ALLOCATION")"; return 1; }
  # vfio-pci opens /dev/vfio/vfio and the VF's group: both must be among the allocated device nodes.
  group=$(group_of "$VM_VF")
  for dev in /dev/vfio/vfio "/dev/vfio/$group"; do
    grep -qx "device $dev" "$ALLOCATION" && [ -c "$dev" ] ||
      { fail vm.allocation "$dev (VF $VM_VF) is not an allocated character device: $(oneline <"$ALLOCATION")"; return 1; }
  done
  pass vm.allocation "VF $VM_VF with /dev/vfio/vfio and /dev/vfio/$group from $ALLOCATION"
  /usr/bin/qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp "$1" -m 256 -nodefaults -display none -no-reboot \
    -kernel /vm/vmlinuz -initrd /vm/initramfs.cpio.gz -append "console=ttyS0 quiet panic=-1 no_timer_check" \
    -serial "file:$VM_LOG" -device "vfio-pci,host=$VM_VF" >"$LOGS/vm-qemu.log" 2>&1 &
  VM_PID=$!
}

# vm_verify QUEUES: what the VM's kernel reported about the VF (vm/init's VM- lines).
vm_verify() {
  local io=$(($1 - 1)) pci queues
  # The VM's serial console ends its lines with CR LF; drop the CRs so the checks can anchor at the line end.
  grep -a 'VM-' "$VM_LOG" | tr -d '\r' >/tmp/vm.lines
  block vm.serial /tmp/vm.lines
  pci=$(grep -a '^VM-PCI ' /tmp/vm.lines | head -1)
  check vm.nvme-bound "the VM's kernel: $pci" sh -c 'echo "$1" | grep -q "0x1b36:0x0010 class=0x010802 driver=nvme$"' _ "$pci"
  queues=$(grep -aoE 'nvme nvme[0-9]+: [0-9]+/[0-9]+/[0-9]+ default/read/poll queues' /tmp/vm.lines | head -1)
  check vm.io-queues "pool queues $1 (admin + $io I/O), VM with $(sed -n 's/^VM-CPUS //p' /tmp/vm.lines) vCPUs: '$queues'" \
    sh -c 'echo "$1" | grep -qE ": $2/0/0 default" && [ "$3" -ge "$4" ]' _ "$queues" "$io" "$(sed -n 's/^VM-CPUS //p' /tmp/vm.lines)" "$io"
}

# Scenarios 7 and 6 together: the pool is 2 VFs of 3 VQ / 3 VI (2 I/O queues each, at least 2 vectors for them);
# the VM gets VF 0 with 2 vCPUs, so its nvme driver can use exactly the 2 I/O queues the pool assigned.
scenario_vm_and_migration() {
  local vf0 t0
  vf0=$(vf_of 0)
  case " $E2E_PHASES " in
    *" vm "*) ;;
    *) scenario_migration "$vf0"; return 0 ;;
  esac
  write_allocation "$vf0"
  t0=$(now_cs)
  vm_start 2 || return 1
  scenario_migration "$vf0"
  if ! wait_for 600 "! kill -0 $VM_PID 2>/dev/null"; then
    kill -KILL "$VM_PID" 2>/dev/null
    fail vm.finished "the VM did not power off within 600 s: $(tail -5 "$VM_LOG" | oneline)"
    return 1
  fi
  timing vm.run $(($(now_cs) - t0))
  check vm.finished "VM ran $((($(now_cs) - t0) * 10)) ms: $(grep -a '^VM-DONE' "$VM_LOG" | tr -d '\r') $(oneline <"$LOGS/vm-qemu.log")" grep -aq '^VM-DONE' "$VM_LOG"
  vm_verify 3
  # The VM let go of the VF: it is back in the pool as it was, untouched by the agent meanwhile.
  verify_prepared vm.after 2 3 3
}
