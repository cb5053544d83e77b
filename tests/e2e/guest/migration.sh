# Scenario 6 (busybox sh; sourced by phase-cluster.sh): an NvmeMigration whose source is a pool VF of the
# guest's real PF. QEMU's NVMe controller has no host-managed live migration (OACS bit 11 HMLMS clear), so
# the correct result is a refusal at the operator's live-migration check, before any NvmeNode write: the
# migration ends Failed with the HMLMS reason, the hardware and the NvmeNode spec are as before, and the
# migration can be deleted (no finalizer left behind).
MIGRATION=e2e-migration

scenario_migration() {
  local vf=$1 t0 rc reason message spec_before spec_after
  snapshot >/tmp/pre-migration.snap
  spec_before=$(node_field '{.spec}')
  cat >/tmp/migration.yaml <<EOF2
apiVersion: nvmelm.io/v1alpha1
kind: NvmeMigration
metadata:
  name: $MIGRATION
  namespace: default
spec:
  source:
    node: $NODE
    vfAddress: "$vf"
  destination:
    node: $NODE
  allowSameNode: true
  stateTransfer: Agent
  mode: Apply
  timeoutSeconds: 120
EOF2
  t0=$(now_cs)
  k apply -f /tmp/migration.yaml >/tmp/k.out 2>&1 &&
    k wait -n default "nvmemigration/$MIGRATION" --for=jsonpath='{.status.phase}'=Failed --timeout=180s >>/tmp/k.out 2>&1
  rc=$?
  timing cluster.migration.refused $(($(now_cs) - t0))
  reason=$(k get -n default nvmemigration "$MIGRATION" -o jsonpath='{.status.failureReason}' 2>/dev/null)
  message=$(k get -n default nvmemigration "$MIGRATION" -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null)
  check cluster.migration.refused "source $vf: rc=$rc phase Failed, reason $reason: $message $(oneline </tmp/k.out)" \
    sh -c '[ "$1" = 0 ] && [ "$2" = SourceVfNotMigratable ] && echo "$3" | grep -qi "host-managed live migration"' _ "$rc" "$reason" "$message"
  local st
  st=$(same_as /tmp/pre-migration.snap)
  check cluster.migration.hardware-unchanged "hardware after the refusal: $st" [ "$st" = same ]
  spec_after=$(node_field '{.spec}')
  check cluster.migration.spec-unchanged "NvmeNode spec: $([ "$spec_before" = "$spec_after" ] && echo unchanged || echo "changed: $spec_after")" \
    [ "$spec_before" = "$spec_after" ]
  k delete -n default nvmemigration "$MIGRATION" --timeout=60s >/tmp/k.out 2>&1
  rc=$?
  check cluster.migration.deleted "kubectl delete: rc=$rc $(oneline </tmp/k.out)" [ $rc = 0 ]
}
