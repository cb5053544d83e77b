# How the guest invokes nvme-lm-agent (busybox sh; sourced). One place for the CLI's syntax.
AGENT=/usr/local/bin/nvme-lm-agent
JOURNAL=/var/lib/nvme-lm
mkdir -p "$JOURNAL"

# agent NAME ARGS...: run the agent on the real hardware layer with the guest's journal; results
# in $OUT/NAME.{out,err,rc,cs} and echoed between markers (markers.sh run).
# A hung host write must fail one step, not stall the whole boot until QEMU's outer timeout.
agent() { local n=$1; shift; run "$n" timeout 150 "$AGENT" "$@" --hardware linux --journal "$JOURNAL"; }

# QEMU's controller has no host-managed live migration (OACS bit 11), so prepare-source's allow-migrate
# pre-flight would refuse (tested on its own in phase-agent.sh); --skip-allow enables and binds only.
prepare_args() { echo "--pf $PF --vfs $1 --queues 2 --interrupts 1 --skip-allow"; }
