# Scenario 7, seed step 5 (busybox sh; sourced by phase-cluster.sh): a VM started inside the guest gets a VF
# the pool provisioned, through vfio-pci, and the VM's own kernel binds it with its nvme driver and reports
# exactly the pool's I/O queue count. While the VM boots, scenario 6 asks to migrate that very VF.
#
# The VF comes from the agent's kubelet device plugin, as a pod's would: tests/kubelet-sim (Debian's python3-grpcio,
# not the agent's gRPC stack) plays the kubelet in the guest — serves kubelet.sock, takes the plugin's Register,
# follows its ListAndWatch, then GetPreferredAllocation and Allocate — and writes the first container's answer to
# $ALLOCATION (`env NAME=VALUE`, `device PATH`): what a container runtime hands the container and virt-launcher
# reads. vm_start uses nothing else to find the device.
ALLOCATION=/run/nvme-lm/allocation
VM_LOG=$LOGS/vm-serial.log
RESOURCE=nvmelm.io/migratable-vf
RESOURCE_VAR=NVMELM_IO_MIGRATABLE-VF

# allocate_vf: one VF of $RESOURCE from the agent's device plugin, through the kubelet simulator, into $ALLOCATION;
# then checks that the answer is the plugin's and true to the hardware.
allocate_vf() {
  local t0 rc vf diffs
  rm -f "$ALLOCATION"
  t0=$(now_cs)
  /usr/bin/python3 /e2e/kubelet-sim/kubelet_sim.py --dir "$DEVICE_PLUGIN_DIR" --generated /e2e/kubelet-sim/generated \
    allocate-once --resource "$RESOURCE" --count 1 --timeout 300 --allocation-file "$ALLOCATION" \
    >"$LOGS/allocate.json" 2>"$LOGS/allocate.err"
  rc=$?
  timing vm.allocate $(($(now_cs) - t0))
  block vm.allocate-answer "$LOGS/allocate.json"
  check vm.allocate "kubelet-sim allocate-once rc=$rc in $((($(now_cs) - t0) * 10)) ms: $(tail -3 "$LOGS/allocate.err" | oneline)" \
    [ $rc = 0 -a -s "$ALLOCATION" ] || return 1
  vf=$(sed -n "s/^env PCI_RESOURCE_$RESOURCE_VAR=//p" "$ALLOCATION")
  diffs=$(allocation_vs_hardware "$vf")
  check vm.allocation-from-plugin "Allocate answer vs sysfs and the agent's log:${diffs:- $vf of $PF on vfio-pci in both env variables, device nodes $(sed -n 's/^device //p' "$ALLOCATION" | oneline), agent logged it}" \
    [ -z "$diffs" ]
}

# allocation_vs_hardware VF: empty when the answer in $ALLOCATION is exactly what the plugin owes for VF — both
# env variables carry it, it is one of the PF's VFs on vfio-pci, the device nodes are /dev/vfio/vfio and its
# group (and its iommufd cdev when the kernel made one), and the agent logged this Allocate; else what differs.
allocation_vs_hardware() {
  local vf=$1 want got cdev
  [ -n "$vf" ] && [ -e "/sys/bus/pci/devices/$vf" ] || { echo "no VF in the answer: $(oneline <"$ALLOCATION")"; return; }
  [ "$(readlink -f "/sys/bus/pci/devices/$vf/physfn")" = "$(readlink -f "$PFD")" ] || echo "$vf is not a VF of $PF;"
  [ "$(basename "$(readlink "/sys/bus/pci/devices/$vf/driver")")" = vfio-pci ] || echo "$vf is not on vfio-pci;"
  grep -qx "env PCIDEVICE_$RESOURCE_VAR=$vf" "$ALLOCATION" || echo "no PCIDEVICE_$RESOURCE_VAR=$vf;"
  want="/dev/vfio/vfio /dev/vfio/$(group_of "$vf")"
  for cdev in "/sys/bus/pci/devices/$vf/vfio-dev"/vfio*; do [ -e "$cdev" ] && want="$want /dev/vfio/devices/$(basename "$cdev")"; done
  got=$(sed -n 's/^device //p' "$ALLOCATION" | sort | oneline)
  [ "$got" = "$(echo $want | tr ' ' '\n' | sort | oneline)" ] || echo "device nodes '$got', sysfs says '$want';"
  grep -q "Allocate $RESOURCE: .*$vf" "$LOGS/agent.log" || echo "the agent logged no Allocate of $vf;"
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
  allocate_vf || return 1
  t0=$(now_cs)
  vm_start 2 || return 1
  scenario_migration "$VM_VF"
  if ! wait_for 600 "! kill -0 $VM_PID 2>/dev/null"; then
    kill -KILL "$VM_PID" 2>/dev/null
    fail vm.finished "the VM did not power off within 600 s: serial: $(tail -5 "$VM_LOG" | oneline) qemu: $(tail -5 "$LOGS/vm-qemu.log" | oneline)"
    return 1
  fi
  timing vm.run $(($(now_cs) - t0))
  check vm.finished "VM ran $((($(now_cs) - t0) * 10)) ms: $(grep -a '^VM-DONE' "$VM_LOG" | tr -d '\r') $(oneline <"$LOGS/vm-qemu.log")" grep -aq '^VM-DONE' "$VM_LOG"
  vm_verify 3
  # The VM let go of the VF: it is back in the pool as it was, untouched by the agent meanwhile.
  verify_prepared vm.after 2 3 3
}
