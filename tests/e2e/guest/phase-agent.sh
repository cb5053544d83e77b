# Phase 2: the real nvme-lm-agent CLI through the source-side steps on the real kernel (issue 6).
# Every hardware claim is checked with sysfs/nvme-cli (verify.sh), never with the agent's own report.
echo "E2E-INFO phase=agent uptime=$(cut -d' ' -f1 /proc/uptime)"
. /e2e/agent.sh

agent_phase() {
  if [ ! -x "$AGENT" ]; then
    fail agent.present "nvme-lm-agent is not in the initramfs (publish failed or --no-agent)"
    return
  fi
  agent help --help
  check agent.present "nvme-lm-agent --help rc=$(rc_of help)" [ "$(rc_of help)" = 0 ]
  timing agent.startup-help "$(cat "$OUT/help.cs")"

  # Inventory at boot (cross-checked on the host against xcheck.boot.* from nvme-cli).
  agent inventory inventory --json
  check agent.inventory "inventory --json rc=$(rc_of inventory) $(head -c 200 "$OUT/inventory.err")" \
    [ "$(rc_of inventory)" = 0 ]
  block xcheck.boot.agent-inventory "$OUT/inventory.out"
  timing agent.inventory "$(cat "$OUT/inventory.cs")"

  # --dry-run prints the plan and changes nothing.
  agent dry prepare-source $(prepare_args 3) --dry-run
  st=$(same_as /tmp/boot.snap)
  check agent.dry-run "rc=$(rc_of dry), $(wc -l <"$OUT/dry.out") lines of plan, hardware $st $(head -c 300 "$OUT/dry.err")" \
    [ "$(rc_of dry)" = 0 -a -s "$OUT/dry.out" -a "$st" = same ]

  # prepare-source, 3 VFs.
  agent prep3 prepare-source $(prepare_args 3)
  check agent.prepare-source "rc=$(rc_of prep3) $(head -c 300 "$OUT/prep3.err")" [ "$(rc_of prep3)" = 0 ]
  timing agent.prepare-source-3vfs "$(cat "$OUT/prep3.cs")"
  verify_prepared prepare-source 3 2 1
  dump_hw xcheck.prepared
  agent inv2 inventory --json
  block xcheck.prepared.agent-inventory "$OUT/inv2.out"
  snapshot >/tmp/prepared.snap

  # allow-migrate must refuse: QEMU does not advertise HMLMS (OACS bit 11).
  allow_migrate_refusal

  # A second prepare-source changes nothing.
  agent prep3b prepare-source $(prepare_args 3) --json
  st=$(same_as /tmp/prepared.snap)
  grep -qE '"changed": *false' "$OUT/prep3b.out" && said=no-change || said="not 'changed: false'"
  check agent.idempotent "second prepare-source rc=$(rc_of prep3b), agent reports $said, hardware $st" \
    [ "$(rc_of prep3b)" = 0 -a "$said" = no-change -a "$st" = same ]

  bad_input

  # A VF that lost its binding is re-bound; the still-bound ones are left alone.
  vf1=$(vf_of 1)
  echo "$vf1" >"/sys/bus/pci/devices/$vf1/driver/unbind"
  agent rebind prepare-source $(prepare_args 3)
  check agent.already-bound "prepare-source with $vf1 unbound and the others bound: rc=$(rc_of rebind) $(head -c 300 "$OUT/rebind.err")" \
    [ "$(rc_of rebind)" = 0 ]
  verify_prepared already-bound 3 2 1

  # 3 -> 2 VFs: the kernel refuses a direct change (kernel.numvfs-ebusy), so success means via 0.
  agent shrink prepare-source $(prepare_args 2)
  check agent.shrink "prepare-source 3->2 rc=$(rc_of shrink) $(head -c 300 "$OUT/shrink.err")" [ "$(rc_of shrink)" = 0 ]
  verify_prepared shrink 2 2 1

  # release restores the boot state (and must have had something to restore, or it proves nothing).
  before=$(same_as /tmp/boot.snap)
  agent release release --pf "$PF"
  st=$(same_as /tmp/boot.snap)
  check agent.release "release rc=$(rc_of release), hardware before: $(echo "$before" | cut -c1-60)…, after vs boot: $st" \
    [ "$(rc_of release)" = 0 -a "$st" = same -a "$before" != same ]

  kill_and_rerun numvfs '[ "$(numvfs)" = 3 ]'
  kill_and_rerun bind '[ "$(driver_of "$(vf_of 0 2>/dev/null)")" = vfio-pci ]'
}

# allow_migrate_refusal: prepare-source without --skip-allow runs the allow-migrate pre-flight, which
# must refuse (QEMU has no HMLMS) naming the controller and the missing capability, before any write.
allow_migrate_refusal() {
  agent allow prepare-source --pf "$PF" --vfs 3 --queues 2 --interrupts 1
  local text
  text=$(cat "$OUT/allow.err" "$OUT/allow.out")
  check agent.allow-migrate-refused "rc=$(rc_of allow) (3 = refused): $(echo "$text" | head -c 400)" \
    [ "$(rc_of allow)" = 3 ]
  check agent.allow-migrate-names-controller "refusal names $PF or its controller" \
    sh -c "echo \"\$1\" | grep -qiE '$PF|nvme0|cntlid|controller 0'" _ "$text"
  check agent.allow-migrate-names-capability "refusal names HMLMS / OACS bit 11 / host-managed live migration" \
    sh -c "echo \"\$1\" | grep -qiE 'HMLMS|OACS bit 11|host.managed live migration'" _ "$text"
  st=$(same_as /tmp/prepared.snap)
  check agent.allow-migrate-unchanged "hardware after the refusal $st" [ "$st" = same ]
}

# bad_input: refused with a clear error, hardware untouched (state is the prepared one).
bad_input() {
  agent bad-vfs prepare-source $(prepare_args 5)
  st=$(same_as /tmp/prepared.snap)
  # The agent checks sriov_totalvfs before writing (so the kernel's ERANGE, kernel.numvfs-erange, is
  # never provoked); either the pre-check or the mapped ERANGE must name the limit.
  grep -qiE 'ERANGE|out of range|sriov_totalvfs' "$OUT/bad-vfs.err" && named=yes || named=no
  check agent.bad-numvfs "--vfs 5 > total $(cat "$PFD/sriov_totalvfs"): rc=$(rc_of bad-vfs), limit named: $named, hardware $st: $(head -c 300 "$OUT/bad-vfs.err")" \
    [ "$(rc_of bad-vfs)" != 0 -a $named = yes -a "$st" = same ]
  agent bad-pf prepare-source --pf 0000:01:00.0/../x --vfs 1 --queues 2 --interrupts 1
  check agent.bad-address "malformed --pf: rc=$(rc_of bad-pf) (2 = usage) $(head -c 300 "$OUT/bad-pf.err")" \
    [ "$(rc_of bad-pf)" = 2 -a -s "$OUT/bad-pf.err" ]
  agent bad-q prepare-source --pf "$PF" --vfs 3 --queues 9 --interrupts 1 --skip-allow
  check agent.bad-queues "--queues 9 > VQFRSM $(nvme primary-ctrl-caps "$CTRL" | awk '/vqfrsm/ { print $NF }'): rc=$(rc_of bad-q) $(head -c 300 "$OUT/bad-q.err")" \
    sh -c "[ $(rc_of bad-q) != 0 ] && [ -s $OUT/bad-q.err ]"
  st=$(same_as /tmp/prepared.snap)
  check agent.bad-input-unchanged "hardware after malformed address and too many queues: $st" [ "$st" = same ]
}

dump_journal() { local f; for f in "$JOURNAL"/* "$JOURNAL"/.*; do [ -f "$f" ] && { echo "== $f"; cat "$f"; echo; }; done; }

# kill_and_rerun NAME CONDITION: start prepare-source, SIGKILL it as soon as CONDITION holds (the
# agent is between two steps), then a re-run must converge and release must restore the boot state.
kill_and_rerun() {
  local name=$1 cond=$2 pid waited=0
  # Each scenario starts from the boot state, so one scenario's failure cannot leak into the next.
  st=$(same_as /tmp/boot.snap)
  if [ "$st" != same ]; then
    echo "E2E-INFO kill.$name: state before the scenario differs from boot ($st); resetting with the shell teardown"
    baseline_teardown
    rm -f "$JOURNAL"/*
  fi
  "$AGENT" prepare-source $(prepare_args 3) --hardware linux --journal "$JOURNAL" >"$OUT/kill-$name.out" 2>&1 &
  pid=$!
  while ! eval "$cond" && [ $waited -lt 600 ] && kill -0 $pid 2>/dev/null; do usleep 50000; waited=$((waited + 1)); done
  if kill -9 $pid 2>/dev/null; then
    wait $pid 2>/dev/null
    snapshot >/tmp/killed.snap
    block "state.killed-at-$name" /tmp/killed.snap
    dump_journal >/tmp/journal.txt; block "journal.killed-at-$name" /tmp/journal.txt
    pass "kill.$name.killed" "SIGKILL after $((waited * 50)) ms with the agent mid-run"
  else
    fail "kill.$name.killed" "the agent finished before it could be killed at '$name' (waited $((waited * 50)) ms)"
  fi
  agent "rerun-$name" prepare-source $(prepare_args 3)
  check "kill.$name.rerun" "re-run rc=$(rc_of "rerun-$name") $(head -c 300 "$OUT/rerun-$name.err")" [ "$(rc_of "rerun-$name")" = 0 ]
  verify_prepared "kill.$name.converged" 3 2 1
  dump_journal >/tmp/journal.txt; block "journal.rerun-$name" /tmp/journal.txt
  before=$(same_as /tmp/boot.snap)
  agent "release-$name" release --pf "$PF"
  st=$(same_as /tmp/boot.snap)
  check "kill.$name.release" "release rc=$(rc_of "release-$name"), hardware before: $(echo "$before" | cut -c1-60)…, after vs boot: $st" \
    [ "$(rc_of "release-$name")" = 0 -a "$st" = same -a "$before" != same ]
}

agent_phase
