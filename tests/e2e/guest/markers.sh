# Marker helpers for the guest scripts (busybox sh; sourced). Every result the host asserts on is one
# line on the serial console:
#   E2E-RESULT name=<name> status=pass|fail detail=<text to end of line>
#   E2E-TIMING name=<name> ms=<integer>
#   E2E-BEGIN name=<name> / ... raw lines ... / E2E-END name=<name>   (JSON dumps, command output)
# The host parses these; nothing else on the console is relied upon.

# Centiseconds since boot (busybox date has no %N; /proc/uptime has 10 ms resolution).
now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# One-line detail: newlines become " | " so a marker never spans lines.
oneline() { tr '\n' '|' | sed 's/|$//; s/|/ | /g'; }

result() { echo "E2E-RESULT name=$1 status=$2 detail=$(printf '%s' "$3" | oneline)"; }
pass() { result "$1" pass "$2"; }
fail() { result "$1" fail "$2"; }
# check NAME DETAIL CONDITION...: pass when the condition command succeeds.
check() { local cn=$1 cd=$2; shift 2; if "$@"; then pass "$cn" "$cd"; else fail "$cn" "$cd"; fi; }

timing() { echo "E2E-TIMING name=$1 ms=$(( $2 * 10 ))"; }

# block NAME FILE: print FILE between markers.
block() { echo "E2E-BEGIN name=$1"; cat "$2"; echo; echo "E2E-END name=$1"; }

# run NAME CMD...: run a command, keep stdout/stderr/rc/time in $OUT/NAME.{out,err,rc,cs},
# and echo everything between markers so a failure can be diagnosed from the serial log alone.
OUT=${OUT:-/tmp/e2e}
mkdir -p "$OUT"
run() {
  local rn=$1 t0
  shift
  t0=$(now_cs)
  "$@" >"$OUT/$rn.out" 2>"$OUT/$rn.err"
  echo $? >"$OUT/$rn.rc"
  echo $(( $(now_cs) - t0 )) >"$OUT/$rn.cs"
  echo "E2E-BEGIN name=cmd.$rn"
  echo "\$ $* (rc=$(cat "$OUT/$rn.rc"), $(( $(cat "$OUT/$rn.cs") * 10 )) ms)"
  cat "$OUT/$rn.out"; echo
  [ -s "$OUT/$rn.err" ] && { echo "--- stderr"; cat "$OUT/$rn.err"; }
  echo "E2E-END name=cmd.$rn"
  return "$(cat "$OUT/$rn.rc")"
}
rc_of() { cat "$OUT/$1.rc"; }
out_of() { cat "$OUT/$1.out"; }
err_of() { cat "$OUT/$1.err"; }
