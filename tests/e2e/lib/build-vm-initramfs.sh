#!/usr/bin/env bash
# Builds the initramfs of the VM that runs inside the guest (seed step 5: a VM gets a pool VF through
# vfio-pci): static busybox and vm/init, nothing else. The VM boots the same Debian cloud kernel as the
# guest, whose nvme driver is built in, so no modules are needed.
# usage: build-vm-initramfs.sh VM_DIR OUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/common.sh"
vm=${1:?vm dir}; out=${2:?output}
r=$(mktemp -d "${TMPDIR:-/tmp}/e2e-vm-initramfs.XXXXXX")
trap 'rm -rf "$r"' EXIT
mkdir -p "$r"/{bin,proc,sys,dev,tmp}
cp /bin/busybox "$r/bin/"
for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
cp "$vm/init" "$r/init" && chmod +x "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1 >"$out")
e2e_log "VM initramfs $(du -h "$out" | cut -f1)"
