#!/usr/bin/env bash
# Real-kernel end-to-end of nvme-lm-agent's source-side hardware steps (issue 6).
# On a Debian 12 machine (root if packages are missing): install QEMU & co from Debian, fetch the
# Debian cloud kernel through apt, publish the agent (self-contained, trimmed, ReadyToRun single
# file), build a busybox initramfs, boot it under TCG with intel-iommu and an SR-IOV NVMe controller,
# run guest/main.sh, and print a timing breakdown. Results are marker lines in RUN_DIR/serial.log
# (see guest/markers.sh) plus RUN_DIR/host.log; QEMU's exit code is never a verdict.
#
# usage: tests/e2e/run-e2e.sh [--no-agent]
# env:   E2E_WORK   cache + runs (default: <repo>/.build/e2e, git-ignored)
#        E2E_RUN_DIR  this run's directory (default: $E2E_WORK/runs/<time>-<pid>)
#        E2E_AGENT  use this nvme-lm-agent binary instead of publishing one
#        E2E_AGENT_SOURCE  worktree (default) or head: which sources to publish (lib/publish-agent.sh)
# exit:  0 when the guest finished (E2E-DONE) and no marker failed, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib/common.sh"
with_agent=1
[ "${1:-}" = --no-agent ] && with_agent=0

work=${E2E_WORK:-$repo/.build/e2e}
cache="$work/cache"
run=${E2E_RUN_DIR:-$work/runs/$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$cache" "$run"
# Keep the five newest runs for inspection.
ls -1dt "$work/runs"/*/ 2>/dev/null | tail -n +6 | xargs -r rm -rf
host_log="$run/host.log"
# The benchmark numbers mean little on a busy machine; record how busy it was.
echo "E2E-INFO host nproc=$(nproc) loadavg=$(cut -d' ' -f1-3 /proc/loadavg)" >"$host_log"
host_result() { echo "E2E-RESULT name=host.$1 status=$2 detail=$3" | tee -a "$host_log" >&2; }
declare -a timings=()
phase() { # phase NAME CMD... : run a step, record its wall time
  local name=$1 t0 rc=0
  shift
  t0=$(e2e_now_ms)
  "$@" || rc=$?
  timings+=("$name $(( $(e2e_now_ms) - t0 ))")
  echo "E2E-TIMING name=host.$name ms=$(( $(e2e_now_ms) - t0 ))" >>"$host_log"
  return $rc
}

if ! phase install "$here/lib/install-deps.sh"; then
  host_result install fail "could not install the Debian packages (see stderr)"; exit 1
fi
host_result install pass "qemu $(qemu-system-x86_64 --version | head -1 | awk '{print $4}'), $(nvme version | head -1)"

kroot_file="$run/kernel-root"
if ! phase kernel bash -c '"$0" "$1" >"$2"' "$here/lib/fetch-kernel.sh" "$cache" "$kroot_file"; then
  host_result kernel fail "could not fetch the Debian cloud kernel"; exit 1
fi
kroot=$(cat "$kroot_file")
kernel=$(ls "$kroot"/boot/vmlinuz-*)
host_result kernel pass "$(basename "$kernel")"

agent=""
if [ $with_agent = 1 ]; then
  if [ -n "${E2E_AGENT:-}" ]; then
    agent=$E2E_AGENT
    timings+=("publish 0")
  elif phase publish bash -c '"$0" "$1" "$2" >"$3"' "$here/lib/publish-agent.sh" "$repo" "$cache" "$run/agent-path"; then
    agent=$(cat "$run/agent-path")
  fi
  if [ -n "$agent" ] && [ -x "$agent" ]; then
    host_result publish pass "$agent ($(du -h "$agent" | cut -f1))"
  else
    host_result publish fail "nvme-lm-agent could not be published; the guest runs without it"
    agent=""
  fi
fi

if ! phase initramfs "$here/lib/build-initramfs.sh" "$kroot" "$here/guest" "$run/initramfs.cpio.gz" $agent; then
  host_result initramfs fail "initramfs build failed"; exit 1
fi
phase boot "$here/lib/boot-guest.sh" "$kernel" "$run/initramfs.cpio.gz" "$run"

serial="$run/serial.log"
# Guest-side time from init start to power-off, from the guest's own uptime stamps.
gs=$(grep -aoE 'E2E-GUEST-START .*uptime=[0-9.]+' "$serial" | grep -oE '[0-9.]+$' || true)
ge=$(grep -aoE 'E2E-GUEST-END uptime=[0-9.]+' "$serial" | grep -oE '[0-9.]+$' || true)
steps_ms=$( [ -n "$gs" ] && [ -n "$ge" ] && awk -v a="$gs" -v b="$ge" 'BEGIN { printf "%d", (b - a) * 1000 }' || echo "?")
echo "E2E-TIMING name=guest.steps ms=$steps_ms" >>"$host_log"

{
  echo "== e2e timing (ms) =="
  for t in "${timings[@]}"; do printf '  %-10s %8s\n' ${t}; done
  printf '  %-10s %8s   (guest init start -> power-off, inside boot; kernel boot ~%s s)\n' steps "$steps_ms" "${gs:-?}"
  echo "== guest timings =="
  grep -aE '^E2E-TIMING' "$serial" | sed 's/^E2E-TIMING /  /' || true
  echo "== benchmark: prepare-source, 3 VFs (mean of rounds, ms) =="
  grep -aE '^E2E-TIMING name=(bench\.|agent\.inventory )' "$serial" | sed -E 's/^E2E-TIMING name=bench\.([a-z-]+)\.[0-9]+ ms=/\1 /; s/^E2E-TIMING name=agent\.(inventory) ms=/agent-\1 /' | awk '
    { sum[$1] += $2; n[$1]++ }
    END {
      if (!n["shell"] || !n["agent"]) { print "  (no benchmark rounds)"; exit }
      s = sum["shell"] / n["shell"]; a = sum["agent"] / n["agent"]
      h = n["agent-help"] ? sum["agent-help"] / n["agent-help"] : 0
      i = n["agent-inventory"] ? sum["agent-inventory"] / n["agent-inventory"] : 0
      printf "  shell %d  agent %d  ratio agent/shell %.2f\n", s, a, a / s
      d = n["agent-dryrun"] ? sum["agent-dryrun"] / n["agent-dryrun"] : 0
      printf "  agent: start-up (--help) %d, + reads/plan (--dry-run) %d, + writes (prepare) %d; inventory %d\n", h, d - h, a - d, i
    }'
  echo "== results =="
  passes=$(cat "$host_log" "$serial" | grep -ac '^E2E-RESULT .* status=pass' || true)
  fails=$(cat "$host_log" "$serial" | grep -aE '^E2E-RESULT .* status=fail' || true)
  echo "  pass: $passes  fail: $(printf '%s' "$fails" | grep -c . || true)"
  [ -n "$fails" ] && printf '%s\n' "$fails" | sed 's/^/  /'
  echo "  serial log: $serial"
} >&2

grep -aq '^E2E-DONE' "$serial" || { e2e_log "guest did not finish (no E2E-DONE); tail of $serial:"; tail -30 "$serial" >&2; exit 1; }
[ -z "$fails" ] || exit 1
