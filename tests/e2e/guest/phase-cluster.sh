# Phase 4 (issue 14): nvme-lm-agent's DaemonSet `run` mode on the real kernel. The embedded API server, the
# operator and the agent run in the guest; the scenarios change an NvmeVfPool (or the hardware) the way a user
# (or an intruder) would, and every outcome is checked with sysfs and nvme-cli (verify.sh), never with the
# agent's report; the NvmeNode status is itself checked against the hardware. Each scenario prints a timing
# marker from its API write (or hardware change) to the moment the hardware is as asked.
echo "E2E-INFO phase=cluster uptime=$(cut -d' ' -f1 /proc/uptime)"
. /e2e/agent.sh
. /e2e/cluster.sh
. /e2e/migration.sh
. /e2e/vm.sh

cluster_phase() {
  local b
  for b in "$AGENT" "$API_SERVER" "$OPERATOR" "$KUBECTL"; do
    [ -x "$b" ] || { fail cluster.present "$b is not in the initramfs (publish or kubectl fetch failed)"; return; }
  done
  pass cluster.present "agent, operator, API server and kubectl in the guest"
  # A scenario that cannot reach its layout leaves the next ones nothing to build on: they are skipped.
  if cluster_start && change_pool apply 2 2 1 && scenario_change && scenario_vm_and_migration && scenario_drift && scenario_kill; then
    scenario_delete
  else
    fail cluster.completed "a scenario failed before the end (see the failed cluster.* markers); the rest was skipped"
    dump_cluster aborted
  fi
  cluster_stop
}

cluster_start() {
  local t0
  t0=$(now_cs)
  start_api_server
  wait_for 600 "http_ok $API_PORT /readyz" ||
    { fail cluster.start.apiserver "no answer on 127.0.0.1:$API_PORT within 600 s: $(tail -5 "$LOGS/apiserver.log")"; return 1; }
  timing cluster.start.apiserver-ready $(($(now_cs) - t0))
  pass cluster.start.apiserver "serving on 127.0.0.1:$API_PORT"
  local rc
  k apply -f /e2e/crds/ >/tmp/k.out 2>&1 && k wait --for=condition=Established crd --all --timeout=120s >>/tmp/k.out 2>&1
  rc=$?
  check cluster.start.crds "kubectl apply -f crds/: $(oneline </tmp/k.out)" [ $rc = 0 ] || return 1
  printf 'apiVersion: v1\nkind: Node\nmetadata:\n  name: %s\n  labels:\n    nvmelm.io/e2e: "true"\n' "$NODE" >/tmp/node.yaml
  k apply -f /tmp/node.yaml >/tmp/k.out 2>&1
  rc=$?
  check cluster.start.node "Node $NODE with the pool's label: $(oneline </tmp/k.out)" [ $rc = 0 ] || return 1

  t0=$(now_cs)
  start_operator
  start_agent
  # The agent creates its NvmeNode, then publishes the inventory (one PF here).
  if ! { k wait --for=create "nvmenode/$NODE" --timeout=600s && k wait "nvmenode/$NODE" --for=jsonpath='{.status.pfCount}'=1 --timeout=600s; } >/tmp/k.out 2>&1; then
    fail cluster.start.agent "no NvmeNode $NODE with an inventory within 600 s: $(oneline </tmp/k.out) $(tail -5 "$LOGS/agent.log" | oneline)"
    return 1
  fi
  timing cluster.start.agent-inventory $(($(now_cs) - t0))
  local inventory
  inventory=$(node_field "{.status.pfCount} {.status.physicalFunctions[?(@.address==\"$PF\")].totalVfs} {.status.physicalFunctions[?(@.address==\"$PF\")].numVfs}")
  check cluster.start.inventory "status: pfCount, totalVfs, numVfs of $PF = $inventory; sysfs: 1 $(cat "$PFD/sriov_totalvfs") $(numvfs)" \
    [ "$inventory" = "1 $(cat "$PFD/sriov_totalvfs") $(numvfs)" ]
  # The probes the chart points at.
  wait_for 120 "http_ok $AGENT_PORT /readyz"
  check cluster.start.agent-readyz "agent /readyz on :$AGENT_PORT" http_ok $AGENT_PORT /readyz
  wait_for 300 "http_ok $OPERATOR_PORT /readyz"
  check cluster.start.operator-readyz "operator /readyz on :$OPERATOR_PORT" http_ok $OPERATOR_PORT /readyz
}

# change_pool NAME N Q I: apply the pool with N VFs of Q VQ / I VI, wait until the hardware is exactly so, verify
# it property by property, then check that the NvmeNode status reports what the hardware has.
change_pool() {
  local name=$1 t0 diffs
  shift
  t0=$(now_cs)
  apply_pool "$@" || { fail "cluster.$name.apply" "kubectl apply of the pool failed: $(tail -3 "$LOGS/kubectl.log" | oneline)"; return 1; }
  await_layout "cluster.$name.hardware" 600 "$@" || return 1
  timing "cluster.$name.hardware-ready" $(($(now_cs) - t0))
  verify_prepared "cluster.$name" "$@"
  wait_caught_up || { fail "cluster.$name.status" "the agent did not report the applied spec Ready: $(node_field '{.status.lastSyncError}')"; return 1; }
  timing "cluster.$name.status-reported" $(($(now_cs) - t0))
  diffs=$(status_vs_hardware "$1")
  check "cluster.$name.status" "NvmeNode status vs sysfs/nvme-cli:${diffs:- agree on all $1 VFs (address, online, queues, interrupts, driver)}" [ -z "$diffs" ]
}

# Scenario 2: more VFs, then fewer (each a non-zero numvfs change, which the kernel only allows through 0:
# kernel.numvfs-ebusy), then other resources on the same VFs (the pool the VM scenario uses: 2 I/O queues).
scenario_change() {
  local rc
  k wait nvmevfpool/$POOL --for=jsonpath='{.status.readyNodes}'=1 --timeout=120s >/tmp/k.out 2>&1
  rc=$?
  check cluster.apply.pool-ready "NvmeVfPool $POOL status.readyNodes=1: $(oneline </tmp/k.out)" [ $rc = 0 ]
  change_pool grow 3 2 1 && change_pool shrink 2 2 1 && change_pool resources 2 3 3
}

# Scenario 3: the hardware changed behind the agent's back; the agent restores the layout within a resync
# (every PF is re-applied at least every half resync period) and records a DriftCorrected Warning Event.
scenario_drift() {
  drift_case numvfs "echo 0 >$PFD/sriov_numvfs" "" || return 1
  local vf1
  vf1=$(vf_of 1)
  drift_case unbind "echo $vf1 >/sys/bus/pci/devices/$vf1/driver/unbind" "$vf1" || return 1
  check cluster.drift.condition "condition Drifted: $(node_field '{.status.conditions[?(@.type=="Drifted")].reason}')" \
    [ "$(node_field '{.status.conditions[?(@.type=="Drifted")].reason}')" = DriftCorrected ]
}

# drift_case NAME WRITE MENTION: perform WRITE in sysfs, wait for the pool layout (2 VFs, 3 VQ / 3 VI) to come
# back, and for a new DriftCorrected event (mentioning MENTION when given).
drift_case() {
  local name=$1 write=$2 mention=$3 before t0 rc
  before=$(drift_count)
  t0=$(now_cs)
  sh -c "$write" 2>/tmp/drift.err
  rc=$?
  check "cluster.drift-$name.written" "$write: rc=$rc $(cat /tmp/drift.err)" [ $rc = 0 ]
  await_layout "cluster.drift-$name.restored" 300 2 3 3 || return 1
  timing "cluster.drift-$name.restored" $(($(now_cs) - t0))
  pass "cluster.drift-$name.restored" "restored after $((($(now_cs) - t0) * 10)) ms (resync period ${AGENT_RESYNC_SECONDS} s)"
  verify_prepared "cluster.drift-$name" 2 3 3
  wait_for 120 "[ \$(drift_count) -gt $before ]" 2000000
  local after last
  after=$(drift_count)
  last=$(drift_events | tail -1)
  check "cluster.drift-$name.event" "DriftCorrected events $before -> $after: $(echo "$last" | cut -c1-400)" \
    sh -c '[ "$1" -gt "$2" ] && echo "$3" | grep -q -- "$4"' _ "$after" "$before" "$last" "$mention"
}

# Scenario 4: SIGKILL the agent in the middle of an apply (numvfs already written, resources and binds not
# yet); the restarted agent finishes from its journal and the hardware, and no secondary is left half-assigned.
scenario_kill() {
  local waited=0 t0
  apply_pool 3 2 1 || { fail cluster.kill.apply "kubectl apply failed"; return 1; }
  while [ "$(numvfs)" != 3 ] && [ $waited -lt 3000 ] && kill -0 "$AGENT_PID" 2>/dev/null; do
    usleep 50000
    waited=$((waited + 1))
  done
  kill -KILL "$AGENT_PID" 2>/dev/null
  wait "$AGENT_PID" 2>/dev/null
  snapshot >/tmp/killed.snap
  block cluster.kill.state-at-kill /tmp/killed.snap
  for f in "$RUN_JOURNAL"/*; do [ -f "$f" ] && { echo "== $f"; cat "$f"; echo; }; done >/tmp/journal.txt
  block cluster.kill.journal-at-kill /tmp/journal.txt
  local complete=no
  layout_is 3 2 1 && complete=yes
  check cluster.kill.mid-apply "SIGKILL $((waited * 50)) ms after the pool change, numvfs=$(numvfs), layout already complete: $complete" \
    [ "$(numvfs)" = 3 -a $complete = no ]
  t0=$(now_cs)
  start_agent
  await_layout cluster.kill.converged 600 3 2 1 || return 1
  timing cluster.kill.restart-to-ready $(($(now_cs) - t0))
  # Its secondaries check is the "nothing half-assigned" proof: 1..3 exactly 2 VQ / 1 VI online, 4 empty.
  verify_prepared cluster.kill 3 2 1
  wait_caught_up
  local diffs
  diffs=$(status_vs_hardware 3)
  check cluster.kill.status "NvmeNode status vs sysfs/nvme-cli after the restart:${diffs:- agree}" [ -z "$diffs" ]
}

# Scenario 5: deleting the pool returns the PF to its boot state (numvfs, autoprobe, drivers, secondaries),
# compared with the snapshot phase-baseline.sh took at boot.
scenario_delete() {
  local t0 journal
  t0=$(now_cs)
  k delete nvmevfpool "$POOL" >>"$LOGS/kubectl.log" 2>&1
  if wait_for 600 "[ \"\$(same_as /tmp/boot.snap)\" = same ]"; then
    timing cluster.delete.boot-state $(($(now_cs) - t0))
    pass cluster.delete.boot-state "hardware equals the boot snapshot $((($(now_cs) - t0) * 10)) ms after kubectl delete"
  else
    fail cluster.delete.boot-state "hardware vs boot after 600 s: $(same_as /tmp/boot.snap)"
    dump_cluster delete
  fi
  wait_for 300 "[ -z \"\$(node_field '{.spec.physicalFunctions[*].address}')\" ]" 2000000
  check cluster.delete.spec "NvmeNode spec PFs after the tear-down: '$(node_field '{.spec.physicalFunctions[*].address}')'" \
    [ -z "$(node_field '{.spec.physicalFunctions[*].address}')" ]
  journal=$(ls "$RUN_JOURNAL" | grep '^pf-' | oneline)
  check cluster.delete.journal "hardware journal records left: ${journal:-none}" [ -z "$journal" ]
  pass cluster.completed "all run-mode scenarios ran"
}

cluster_stop() {
  dump_cluster end
  [ -n "${AGENT_PID:-}" ] && stop_process agent "$AGENT_PID"
  [ -n "${OPERATOR_PID:-}" ] && stop_process operator "$OPERATOR_PID"
  [ -n "${API_PID:-}" ] && stop_process apiserver "$API_PID"
}

cluster_phase
