# Phase 1: the harness on the real kernel without the agent. Records the boot state, the nvme-cli
# views for the cross-check, the kernel's own SR-IOV rules, and the plain-shell prepare (the floor).

echo "E2E-INFO phase=baseline uptime=$(cut -d' ' -f1 /proc/uptime)"
snapshot >/tmp/boot.snap
block state.boot /tmp/boot.snap
dump_hw xcheck.boot

# The kernel's rules the agent must live with (facts §1), observed directly.
sh -c "echo 5 >$PFD/sriov_numvfs" 2>/tmp/k.err
check kernel.numvfs-erange "echo 5 > sriov_numvfs (total $(cat "$PFD/sriov_totalvfs")): $(cat /tmp/k.err)" \
  grep -q 'Numerical result out of range' /tmp/k.err

t0=$(now_cs)
if baseline_prepare 3 2 1 2>/tmp/b.err; then
  timing baseline.prepare-3vfs $(( $(now_cs) - t0 ))
  pass baseline.prepare "plain shell prepare of 3 VFs"
else
  fail baseline.prepare "plain shell prepare failed: $(cat /tmp/b.err)"
fi
verify_prepared baseline 3 2 1

sh -c "echo 2 >$PFD/sriov_numvfs" 2>/tmp/k.err
check kernel.numvfs-ebusy "echo 2 > sriov_numvfs while 3: $(cat /tmp/k.err)" grep -q 'busy' /tmp/k.err
vf0=$(vf_of 0)
sh -c "echo $vf0 >/sys/bus/pci/drivers/vfio-pci/bind" 2>/tmp/k.err
check kernel.bind-bound-ebusy "bind already-bound $vf0: $(cat /tmp/k.err)" grep -q 'busy' /tmp/k.err

baseline_teardown 2>/tmp/b.err
snapshot >/tmp/after.snap
if cmp -s /tmp/boot.snap /tmp/after.snap; then
  pass baseline.teardown "state equals boot state"
else
  fail baseline.teardown "state differs from boot: $(diff /tmp/boot.snap /tmp/after.snap | oneline) $(cat /tmp/b.err)"
fi
