#!/usr/bin/env bash
# Builds the guest's initramfs: static busybox, the vfio-pci module chain of the given kernel, nvme-cli with
# the shared libraries it links, the guest scripts, and any extra files: each SRC=DEST argument copies SRC (a
# file or a directory, symlinks followed) to DEST inside the guest, and every ELF among them gets the shared
# libraries `ldd` lists (the published .NET binaries, kubectl, QEMU for the VM inside the guest).
# usage: build-initramfs.sh KERNEL_ROOT GUEST_DIR OUT.cpio.zst [SRC=DEST ...]
set -euo pipefail
. "$(dirname "$0")/common.sh"
kroot=${1:?kernel root}; guest=${2:?guest dir}; out=${3:?output}
shift 3
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

# The shared libraries ldd reports for an ELF (and the dynamic loader), unless already there.
copy_libs() {
  local lib
  for lib in $(ldd "$1" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
    [ -e "$r$lib" ] || { mkdir -p "$r/$(dirname "$lib")" && cp -L "$lib" "$r$lib"; }
  done
}
is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

mkdir -p "$r/usr/sbin" && cp -L "$(command -v nvme)" "$r/usr/sbin/nvme" && copy_libs "$(command -v nvme)"
for pair in "$@"; do
  src=${pair%%=*}; dst=${pair#*=}
  [ -e "$src" ] || e2e_die "extra file not found: $src"
  mkdir -p "$r/$(dirname "$dst")"
  cp -rL "$src" "$r$dst"
  while IFS= read -r -d '' f; do is_elf "$f" && copy_libs "$f"; done < <(find "$r$dst" -type f -print0)
done

cp "$guest"/*.sh "$r/e2e/"
cp "$guest/init" "$r/init"
chmod +x "$r/init" "$r"/e2e/*.sh
# zstd rather than gzip: the kernel (CONFIG_RD_ZSTD) unpacks it faster, which counts under TCG with ~470 MB of
# binaries, and it compresses faster on all cores.
(cd "$r" && find . | cpio -o -H newc --quiet | zstd -q -T0 -3 >"$out")
e2e_log "initramfs $(du -h "$out" | cut -f1) from $(du -sh "$r" | cut -f1) (kernel $kv, $# extra)"
