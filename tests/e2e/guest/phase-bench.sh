# Phase 3: benchmark prepare-source for 3 VFs, agent vs the plain shell floor (baseline.sh), from the
# boot state each time, alternating so both see the same guest conditions. Start-up cost is measured
# with `--help` (process + runtime start, no hardware) and `--dry-run` (start-up + reads + plan, no
# writes); phase-agent.sh times `inventory` (start-up + reads).
# Timings only; the verdict on speed is a human's (no timed assertions).
echo "E2E-INFO phase=bench uptime=$(cut -d' ' -f1 /proc/uptime)"
bench_phase() {
  local r=1 rounds=${BENCH_ROUNDS:-2} t0
  [ -x /usr/local/bin/nvme-lm-agent ] || { fail bench.agent "no agent in the guest"; return; }
  . /e2e/agent.sh
  while [ $r -le "$rounds" ]; do
    t0=$(now_cs)
    baseline_prepare 3 2 1 || { fail bench.shell "baseline prepare failed in round $r"; return; }
    timing "bench.shell.$r" $(( $(now_cs) - t0 ))
    baseline_teardown
    # Start-up + reads + planning, no writes: splits the agent's time into start-up, reading and writing.
    agent "bench-dry-$r" prepare-source $(prepare_args 3) --dry-run >/dev/null
    timing "bench.agent-dryrun.$r" "$(cat "$OUT/bench-dry-$r.cs")"
    agent "bench-prep-$r" prepare-source $(prepare_args 3) >/dev/null || { fail bench.agent "agent prepare-source failed in round $r"; return; }
    timing "bench.agent.$r" "$(cat "$OUT/bench-prep-$r.cs")"
    agent "bench-rel-$r" release --pf "$PF" >/dev/null || { fail bench.agent "agent release failed in round $r"; return; }
    agent "bench-help-$r" --help >/dev/null
    timing "bench.agent-help.$r" "$(cat "$OUT/bench-help-$r.cs")"
    r=$((r + 1))
  done
  st=$(same_as /tmp/boot.snap)
  check bench.completed "$rounds rounds; hardware vs boot afterwards: $st" [ "$st" = same ]
}
bench_phase
