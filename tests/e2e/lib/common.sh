# Shared helpers for the host-side e2e scripts (sourced, not executed).
# Every phase reports its wall time so run-e2e.sh can print a breakdown.

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# Milliseconds since the epoch (GNU date on the host).
e2e_now_ms() { date +%s%3N; }
