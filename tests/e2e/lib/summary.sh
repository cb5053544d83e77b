#!/usr/bin/env bash
# Prints the timing breakdown and the verdict of one e2e run (run-e2e.sh calls it; stdout).
# usage: summary.sh HOST_LOG SERIAL_LOG GUEST_STEPS_MS KERNEL_BOOT_S ["NAME MS" ...]
set -uo pipefail
host_log=$1; serial=$2; steps_ms=$3; boot_s=$4
shift 4
echo "== e2e timing (ms) =="
for t in "$@"; do printf '  %-18s %8s\n' ${t}; done
printf '  %-18s %8s   (guest init start -> power-off, inside boot; kernel boot + initramfs unpack ~%s s)\n' steps "$steps_ms" "$boot_s"
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
echo "== run mode: API change -> hardware (ms) =="
grep -aE '^E2E-TIMING name=cluster\.' "$serial" | sed -E 's/^E2E-TIMING name=cluster\.([^ ]+) ms=([0-9]+)/  \1 \2/' | awk '{ printf "  %-34s %8d\n", $1, $2 }'
echo "== results =="
passes=$(cat "$host_log" "$serial" | grep -ac '^E2E-RESULT .* status=pass')
fails=$(cat "$host_log" "$serial" | grep -aE '^E2E-RESULT .* status=fail')
echo "  pass: $passes  fail: $(printf '%s' "$fails" | grep -c .)"
[ -n "$fails" ] && printf '%s\n' "$fails" | sed 's/^/  /'
echo "  serial log: $serial"
exit 0
