# The run mode's cluster inside the guest (busybox sh; sourced): the embedded API server, the operator and
# nvme-lm-agent `run` as background processes on 127.0.0.1 (the guest has no other network), and the real
# kubectl as the user's client. The binaries are the ones build/publish.sh ships.
API_SERVER=/usr/local/bin/NvmeLm.ApiServer
OPERATOR=/usr/local/bin/NvmeLm.Operator
KUBECTL=/usr/local/bin/kubectl
export KUBECONFIG=/run/nvme-lm/kubeconfig
NODE=e2e-guest
POOL=e2e-pool
# The run mode's own journal: the CLI phases used /var/lib/nvme-lm under another owner.
RUN_JOURNAL=/var/lib/nvme-lm-run
# A short resync so drift is found quickly; the agent re-applies every PF at least every half period.
AGENT_RESYNC_SECONDS=10
API_PORT=6443
OPERATOR_PORT=18080
AGENT_PORT=18081
LOGS=/tmp/cluster
mkdir -p "$LOGS" /run/nvme-lm "$RUN_JOURNAL"

# kubectl, each request bounded; `kubectl wait` is bounded by its own --timeout instead (a request timeout would
# cut its watch).
k() {
  case "$1" in
    wait) "$KUBECTL" "$@" ;;
    *) "$KUBECTL" --request-timeout=120s "$@" ;;
  esac
}

# wait_for SECONDS CONDITION [INTERVAL_US]: evaluates the shell CONDITION every INTERVAL_US (default 0.5 s)
# until it holds (0) or SECONDS have passed (1); WAITED_CS is the time it took. The bound only ends a hang: a
# scenario that needs longer fails. Conditions on sysfs are cheap; a kubectl process is not under TCG (~1 s of
# CPU), so API conditions use `kubectl wait` (one watching process) or poll slowly.
wait_for() {
  local limit=$(($1 * 100)) t0
  t0=$(now_cs)
  while ! eval "$2"; do
    if [ $(($(now_cs) - t0)) -ge $limit ]; then
      WAITED_CS=$(($(now_cs) - t0))
      return 1
    fi
    usleep "${3:-500000}"
  done
  WAITED_CS=$(($(now_cs) - t0))
}

# await_layout MARKER SECONDS N Q I: waits for layout_is N Q I (verify.sh); when it does not come, fails MARKER
# with the hardware state and dumps the cluster for diagnosis. WAITED_CS as for wait_for.
await_layout() {
  local marker=$1 limit=$2
  shift 2
  wait_for "$limit" "layout_is $*" && return 0
  fail "$marker" "the hardware did not reach $1 VFs x $2 VQ / $3 VI within $limit s: $(snapshot | oneline)"
  dump_cluster "${marker#cluster.}"
  return 1
}

# An HTTP endpoint answers 200 (the probes the chart points at). Debian's static busybox wget segfaults with -T,
# so `timeout` bounds it.
http_ok() { timeout 30 wget -q -O /dev/null "http://127.0.0.1:$1$2" 2>/dev/null; }

start_api_server() {
  "$API_SERVER" serve --port $API_PORT --kubeconfig "$KUBECONFIG" >>"$LOGS/apiserver.log" 2>&1 &
  API_PID=$!
}

start_operator() {
  "$OPERATOR" --kubeconfig "$KUBECONFIG" --leader-elect false --metrics-port $OPERATOR_PORT >>"$LOGS/operator.log" 2>&1 &
  OPERATOR_PID=$!
}

# The agent serves its kubelet device plugin in a directory of the guest's own; a kubelet (tests/kubelet-sim) is
# there only while the VM scenario asks for its VF (vm.sh), and the agent registers whenever kubelet.sock appears.
DEVICE_PLUGIN_DIR=/run/nvme-lm/device-plugins
POD_RESOURCES_SOCKET=/run/nvme-lm/pod-resources/kubelet.sock
start_agent() {
  echo "=== agent started at uptime $(cut -d' ' -f1 /proc/uptime)" >>"$LOGS/agent.log"
  "$AGENT" run --node-name "$NODE" --kubeconfig "$KUBECONFIG" --hardware linux --journal "$RUN_JOURNAL" \
    --resync-seconds $AGENT_RESYNC_SECONDS --metrics-port $AGENT_PORT \
    --device-plugin-dir "$DEVICE_PLUGIN_DIR" --pod-resources-socket "$POD_RESOURCES_SOCKET" >>"$LOGS/agent.log" 2>&1 &
  AGENT_PID=$!
}

# stop_process NAME PID: SIGTERM, then the process must exit 0 (the bound, 120 s, is generous for TCG: the pods'
# termination grace is 30 s on real hardware); otherwise it is SIGKILLed and the marker fails.
stop_process() {
  local name=$1 pid=$2 rc
  kill -TERM "$pid" 2>/dev/null
  if wait_for 120 "! kill -0 $pid 2>/dev/null"; then
    wait "$pid"
    rc=$?
    check "cluster.stop.$name" "SIGTERM -> exit $rc after $((WAITED_CS * 10)) ms (want 0)" [ "$rc" = 0 ]
  else
    kill -KILL "$pid" 2>/dev/null
    fail "cluster.stop.$name" "still running 120 s after SIGTERM; killed"
  fi
}

# apply_pool N Q I: the pool the scenarios change, on this node's PF only.
apply_pool() {
  cat >/tmp/pool.yaml <<EOF
apiVersion: nvmelm.io/v1alpha1
kind: NvmeVfPool
metadata:
  name: $POOL
spec:
  nodeSelector:
    nvmelm.io/e2e: "true"
  controllerSelector:
    pfAddresses: ["$PF"]
  numVfs: $1
  queues: $2
  interrupts: $3
EOF
  k apply -f /tmp/pool.yaml >>"$LOGS/kubectl.log" 2>&1
}

# node_field JSONPATH: one field of this node's NvmeNode.
node_field() { k get nvmenode "$NODE" -o jsonpath="$1" 2>/dev/null; }

# wait_caught_up: waits until the agent has processed the NvmeNode's current generation; true when it then
# reports Ready. Call it once the hardware shows the change, so the current generation is the one that made it.
wait_caught_up() {
  local generation
  generation=$(node_field '{.metadata.generation}')
  k wait "nvmenode/$NODE" --for=jsonpath="{.status.observedGeneration}=$generation" --timeout=300s >/dev/null 2>&1 &&
    [ "$(node_field '{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

# status_vs_hardware N: the NvmeNode status's VFs of this PF (vfNumber 1..N) against sysfs and nvme-cli:
# prints the differing lines, nothing when they agree. The hardware is the reference, never the status.
status_vs_hardware() {
  local n=$1 k=0 vf
  node_field "{range .status.physicalFunctions[?(@.address==\"$PF\")].secondaries[*]}{.vfNumber} {.vfAddress} {.online} {.queues} {.interrupts} {.driver}{\"\\n\"}{end}" |
    awk -v n="$n" '$1 >= 1 && $1 <= n' | sort >/tmp/status.vfs
  secondary_table >/tmp/hw.sec
  : >/tmp/hw.vfs
  while [ $k -lt "$n" ]; do
    vf=$(vf_of $k)
    awk -v vfn=$((k + 1)) -v vf="$vf" -v drv="$(driver_of "$vf")" \
      '$2 == vfn { print vfn, vf, ($3 == 1 ? "true" : "false"), $4, $5, drv }' /tmp/hw.sec >>/tmp/hw.vfs
    k=$((k + 1))
  done
  sort /tmp/hw.vfs | diff /tmp/status.vfs - | grep '^[-+][^-+]'
}

# drift_events: the DriftCorrected events recorded for this node, "<count> <message>" per line (a repeat of the
# same message bumps the count of one Event, as client-go's correlator does).
drift_events() {
  k get events -A -o jsonpath='{range .items[?(@.reason=="DriftCorrected")]}{.involvedObject.name} {.count} {.message}{"\n"}{end}' 2>/dev/null |
    sed -n "s/^$NODE //p"
}
drift_count() { drift_events | awk '{ n += $1 } END { print n + 0 }'; }

dump_cluster() { # dump_cluster NAME: the objects and logs, for diagnosis from the serial log alone
  k get nvmenode,nvmevfpool,nvmemigration -A -o yaml >/tmp/objects.yaml 2>&1; block "cluster.$1.objects" /tmp/objects.yaml
  tail -40 "$LOGS/agent.log" >/tmp/log.tail; block "cluster.$1.agent-log" /tmp/log.tail
  tail -20 "$LOGS/operator.log" >/tmp/log.tail; block "cluster.$1.operator-log" /tmp/log.tail
}
