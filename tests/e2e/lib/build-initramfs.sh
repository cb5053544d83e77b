#!/usr/bin/env bash
# Builds the guest's initramfs: static busybox, the vfio-pci module chain of the given kernel,
# nvme-cli and (optionally) nvme-lm-agent with the shared libraries they link, and the guest scripts.
# usage: build-initramfs.sh KERNEL_ROOT GUEST_DIR OUT.cpio.gz [AGENT_BINARY]
set -euo pipefail
. "$(dirname "$0")/common.sh"
kroot=${1:?kernel root}; guest=${2:?guest dir}; out=${3:?output}; agent=${4:-}
export PATH="$PATH:/usr/sbin:/sbin"
kv=$(ls "$kroot/lib/modules")
r=$(mktemp -d "${TMPDIR:-/tmp}/e2e-initramfs.XXXXXX")
trap 'rm -rf "$r"' EXIT

mkdir -p "$r"/{bin,sbin,proc,sys,dev,tmp,run,var/lib,usr/sbin,usr/local/bin,lib/modules/$kv,e2e}
cp /bin/busybox "$r/bin/"
for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done

# vfio-pci and its dependencies (irqbypass, vfio, vfio_virqfd, vfio-pci-core, vfio_iommu_type1);
# NVMe itself is built into the cloud kernel.
for f in $(modprobe -d "$kroot" -S "$kv" --show-depends vfio-pci | awk '$1=="insmod"{print $2}') \
         $(modprobe -d "$kroot" -S "$kv" --show-depends vfio_iommu_type1 | awk '$1=="insmod"{print $2}'); do
  rel=${f#"$kroot"/}
  mkdir -p "$r/$(dirname "$rel")" && cp "$f" "$r/$rel"
done
cp "$kroot/lib/modules/$kv"/modules.{builtin,builtin.modinfo,order} "$r/lib/modules/$kv/"
depmod -b "$r" "$kv"

# An ELF plus every shared library ldd reports for it (and the dynamic loader).
copy_elf() {
  local src=$1 dst=$2 lib
  mkdir -p "$r/$(dirname "$dst")" && cp -L "$src" "$r/$dst"
  for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
    [ -e "$r$lib" ] || { mkdir -p "$r/$(dirname "$lib")" && cp -L "$lib" "$r$lib"; }
  done
}
copy_elf "$(command -v nvme)" /usr/sbin/nvme
if [ -n "$agent" ]; then
  copy_elf "$agent" /usr/local/bin/nvme-lm-agent
fi

cp "$guest"/*.sh "$r/e2e/"
cp "$guest/init" "$r/init"
chmod +x "$r/init" "$r"/e2e/*.sh
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1 >"$out")
e2e_log "initramfs $(du -h "$out" | cut -f1) (kernel $kv${agent:+, with agent})"
